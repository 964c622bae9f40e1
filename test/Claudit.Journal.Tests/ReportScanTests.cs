using System.Text;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Core.Serialization;

namespace Claudit.Journal.Tests;

/// <summary>
/// <see cref="ParallelJsonlScanner.ScanReportAsync"/> (the report's scan: each line folded from its fields, no record per
/// line) gives the report, read counts and skipped-line notes the record scan folded into the same accumulators gives,
/// over a file split into ranges, with damaged lines, tracer.py lines and errors that make the report's lists.
/// </summary>
public class ReportScanTests
{
    [Theory]
    [InlineData(1, CostMode.Recorded)]
    [InlineData(2, CostMode.Recorded)]
    [InlineData(3, CostMode.Recomputed)]
    public async Task The_report_scan_equals_the_record_scan_folded(int workers, CostMode cost)
    {
        using var dir = new TempDirectory();
        var path = dir.File("mixed.jsonl");
        await File.WriteAllTextAsync(path, MixedFile());
        Assert.True(new FileInfo(path).Length > 8 << 20, "the file must be large enough to split");
        var options = new ReportOptions { CostMode = cost, GroupBy = GroupBy.Feature };
        (string, Func<Stream>)[] inputs = [(path, () => JsonlFiles.OpenRead(path))];

        var recordStats = new ReadStats();
        var byRecords = await ParallelJsonlScanner.ScanAsync(inputs, () => new ReportAccumulator(options, CostCalculator.Default),
            static (a, r) => a.Add(r), recordStats, CallRecordReadOptions.ForReport(cost == CostMode.Recorded), workers);
        var fieldStats = new ReadStats();
        var byFields = await ParallelJsonlScanner.ScanReportAsync(inputs, options, CostCalculator.Default, fieldStats, workers);

        Assert.Equal(workers, byFields.Count);
        Assert.Equal(recordStats.Records, fieldStats.Records);
        Assert.Equal(4, fieldStats.SkippedLines);
        Assert.Equal(recordStats.FirstProblems.Order(StringComparer.Ordinal), fieldStats.FirstProblems.Order(StringComparer.Ordinal));
        var expected = Merged(byRecords).Build();
        var actual = Merged(byFields).Build();
        Assert.Equal(10, actual.RecentErrors.Count);
        Assert.Equal(10, actual.TopCalls.Count);
        Assert.Equal(ReportJsonContext.Serialize(expected), ReportJsonContext.Serialize(actual));
    }

    [Theory]
    [InlineData(CostMode.Recorded)]
    [InlineData(CostMode.Recomputed)]
    public async Task The_report_counts_retries_from_the_file_as_from_the_records(CostMode cost)
    {
        // Every tenth call failed and was tried again, linked by parent_id; half the retries failed too.
        var records = new List<CallRecord>();
        for (var n = 1; n <= 2_000; n++)
        {
            var r = SampleRecords.Simple(n);
            if (n % 10 == 0)
            {
                var failed = r with { Status = CallStatus.Error, HttpStatus = 529, Error = new CallError { Type = "overloaded_error", Message = "Overloaded" }, Usage = null, Cost = null };
                records.Add(failed);
                var retry = r with { Id = Guid.CreateVersion7(r.StartTime.AddSeconds(1)), StartTime = r.StartTime.AddSeconds(1), Tags = r.Tags with { ParentId = failed.Id.ToString(), Attempt = 1 } };
                records.Add(n % 20 == 0 ? retry with { Status = CallStatus.Error, HttpStatus = 529, Error = failed.Error, Usage = null, Cost = null } : retry);
            }
            else
            {
                records.Add(r);
            }
        }

        using var dir = new TempDirectory();
        var path = dir.File("retries.jsonl");
        await File.WriteAllLinesAsync(path, records.Select(SampleRecords.ToLine));
        var options = new ReportOptions { CostMode = cost };
        var inMemory = new ReportAccumulator(options, CostCalculator.Default);
        foreach (var r in records)
        {
            inMemory.Add(r);
        }

        var expected = inMemory.Build();
        Assert.True(expected.FailureRateAfterRetries < expected.ErrorRate, "retries rescue some failed attempts");
        var scanned = await ParallelJsonlScanner.ScanReportAsync([(path, () => JsonlFiles.OpenRead(path))], options, CostCalculator.Default, new ReadStats(), 2);
        var actual = Merged(scanned).Build();
        Assert.Equal(expected.FailureRateAfterRetries, actual.FailureRateAfterRetries);
        Assert.Equal(ReportJsonContext.Serialize(expected), ReportJsonContext.Serialize(actual));
    }

    private static ReportAccumulator Merged(IReadOnlyList<ReportAccumulator> parts)
    {
        for (var i = 1; i < parts.Count; i++)
        {
            parts[0].Merge(parts[i]);
        }

        return parts[0];
    }

    /// <summary>~11 MB: Claudit lines (every 50th an error), tracer.py lines, and four damaged lines spread through the ranges.</summary>
    private static string MixedFile()
    {
        var text = new StringBuilder();
        for (var n = 1; n <= 32_000; n++)
        {
            if (n % 8_000 == 0)
            {
                text.Append(n % 16_000 == 0 ? "{\"ts_start\":1793491200,\"input_tokens\":1" : "{\"id\":\"x\",\"start_time\":\"2026-11-01T00:00:00Z\"}").Append('\n');
                continue;
            }

            if (n % 3 == 0)
            {
                text.Append(CultureInvariant($"{{\"request_id\":\"req_t{n}\",\"caller\":\"app/chat.py:{n % 40}\",\"function\":\"f{n % 5}\",\"ts_start\":{1793491200 + (n / 10.0)},")
                    + CultureInvariant($"\"model_used\":\"claude-haiku-4-5\",\"status\":\"ok\",\"error\":null,\"latency_s\":{n % 97 / 10.0},\"input_tokens\":{n},\"output_tokens\":{n % 300},\"cost_usd\":{n / 1e6}}}"))
                    .Append('\n');
                continue;
            }

            var r = SampleRecords.Simple(n) with { RequestId = $"req_{n}" };
            if (n % 50 == 0)
            {
                r = r with { Status = CallStatus.Error, HttpStatus = 529, Error = new CallError { Type = "overloaded_error", Message = $"Overloaded {n}" } };
            }

            text.Append(SampleRecords.ToLine(r)).Append('\n');
        }

        return text.ToString();
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
