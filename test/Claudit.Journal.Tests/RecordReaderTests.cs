using System.Text;
using Claudit.Core.Records;

namespace Claudit.Journal.Tests;

/// <summary>JsonlRecordReader streams records back and counts what it had to skip.</summary>
public class RecordReaderTests
{
    [Fact]
    public async Task Streams_records_back_in_file_order()
    {
        using var dir = new TempDirectory();
        var path = dir.File("calls.jsonl");
        var written = Enumerable.Range(0, 50).Select(n => SampleRecords.Simple(n)).Append(SampleRecords.Full()).ToArray();
        await File.WriteAllLinesAsync(path, written.Select(SampleRecords.ToLine));

        var stats = new ReadStats();
        var read = await JournalFiles.ReadAllAsync(path, stats);

        Assert.Equal(written.Select(r => r.Id), read.Select(r => r.Id));
        SampleRecords.AssertEqual(written[^1], read[^1]);
        Assert.Equal(51, stats.Records);
        Assert.Equal(0, stats.SkippedLines);
        Assert.Empty(stats.FirstProblems);
        Assert.Equal(new FileInfo(path).Length, stats.BytesRead);
    }

    [Fact]
    public async Task Corrupt_lines_are_skipped_and_named_by_file_and_line()
    {
        using var dir = new TempDirectory();
        var path = dir.File("calls.jsonl");
        string[] lines =
        [
            SampleRecords.ToLine(SampleRecords.Simple(1)),
            "this is not json",
            SampleRecords.ToLine(SampleRecords.Simple(2)),
            "",
            "[1,2]",
            SampleRecords.ToLine(SampleRecords.Simple(3))[..40],
            SampleRecords.ToLine(SampleRecords.Simple(4)),
        ];
        await File.WriteAllLinesAsync(path, lines);

        var stats = new ReadStats();
        var read = await JournalFiles.ReadAllAsync(path, stats);

        Assert.Equal([SampleRecords.Simple(1).Id, SampleRecords.Simple(2).Id, SampleRecords.Simple(4).Id], read.Select(r => r.Id));
        // The blank line is not a problem; the three broken ones are, at lines 2, 5 and 6.
        Assert.Equal(3, stats.SkippedLines);
        Assert.Equal(3, stats.Records);
        Assert.Equal(3, stats.FirstProblems.Count);
        Assert.StartsWith($"{path}:2: ", stats.FirstProblems[0], StringComparison.Ordinal);
        Assert.StartsWith($"{path}:5: ", stats.FirstProblems[1], StringComparison.Ordinal);
        Assert.StartsWith($"{path}:6: ", stats.FirstProblems[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_first_five_problems_are_kept_but_all_are_counted()
    {
        using var dir = new TempDirectory();
        var path = dir.File("calls.jsonl");
        await File.WriteAllLinesAsync(path, Enumerable.Range(0, 12).Select(i => $"garbage {i}"));

        var stats = new ReadStats();
        var read = await JournalFiles.ReadAllAsync(path, stats);

        Assert.Empty(read);
        Assert.Equal(12, stats.SkippedLines);
        Assert.Equal(5, stats.FirstProblems.Count);
        Assert.StartsWith($"{path}:1: ", stats.FirstProblems[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lines_longer_than_the_read_buffer_still_read()
    {
        using var dir = new TempDirectory();
        var path = dir.File("calls.jsonl");
        // 3 MB of message: longer than the 1 MB buffer, and than one doubling of it.
        var message = string.Concat(Enumerable.Repeat("overloaded ", 300_000));
        var big = SampleRecords.Simple(2) with
        {
            Status = CallStatus.Error,
            Error = new CallError { Type = "overloaded_error", Message = message },
        };
        await File.WriteAllLinesAsync(path,
        [
            SampleRecords.ToLine(SampleRecords.Simple(1)),
            SampleRecords.ToLine(big),
            "corrupt after the long line",
            SampleRecords.ToLine(SampleRecords.Simple(3)),
        ]);

        var stats = new ReadStats();
        var read = await JournalFiles.ReadAllAsync(path, stats);

        Assert.Equal(3, read.Count);
        Assert.Equal(big.Id, read[1].Id);
        Assert.Equal(message, read[1].Error?.Message);
        Assert.Equal(SampleRecords.Simple(3).Id, read[2].Id);
        Assert.Equal(1, stats.SkippedLines);
        Assert.StartsWith($"{path}:3: ", Assert.Single(stats.FirstProblems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Last_line_without_a_newline_crlf_lines_and_blank_lines_read()
    {
        using var dir = new TempDirectory();
        var path = dir.File("calls.jsonl");
        var text = SampleRecords.ToLine(SampleRecords.Simple(1)) + "\r\n"
            + "\r\n"
            + "   \t\n"
            + SampleRecords.ToLine(SampleRecords.Simple(2)) + "\r\n"
            + SampleRecords.ToLine(SampleRecords.Simple(3));
        await File.WriteAllTextAsync(path, text, new UTF8Encoding(false));

        var stats = new ReadStats();
        var read = await JournalFiles.ReadAllAsync(path, stats);

        Assert.Equal([SampleRecords.Simple(1).Id, SampleRecords.Simple(2).Id, SampleRecords.Simple(3).Id], read.Select(r => r.Id));
        Assert.Equal(0, stats.SkippedLines);
    }

    [Fact]
    public async Task Empty_file_reads_nothing()
    {
        using var dir = new TempDirectory();
        var path = dir.File("empty.jsonl");
        await File.WriteAllBytesAsync(path, []);

        var stats = new ReadStats();
        var read = await JournalFiles.ReadAllAsync(path, stats);

        Assert.Empty(read);
        Assert.Equal(0, stats.Records);
        Assert.Equal(0, stats.SkippedLines);
    }

    [Fact]
    public async Task Reads_tracer_py_lines_alongside_claudit_ones()
    {
        using var dir = new TempDirectory();
        var path = dir.File("mixed.jsonl");
        await File.WriteAllLinesAsync(path,
        [
            SampleRecords.ToLine(SampleRecords.Simple(1)),
            "{\"request_id\":\"req_1\",\"caller\":\"a.py:1\",\"function\":\"f\",\"ts_start\":1772356530.25,\"model_requested\":\"claude-haiku-4-5\",\"status\":\"ok\",\"latency_s\":0.5,\"input_tokens\":10,\"output_tokens\":5}",
        ]);

        var read = await JournalFiles.ReadAllAsync(path, new ReadStats());

        Assert.Equal([CallSource.Gateway, CallSource.Import], read.Select(r => r.Source));
    }

    [Fact]
    public async Task A_file_still_open_by_the_writer_can_be_read()
    {
        using var dir = new TempDirectory();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        using var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, time);
        writer.Append(SampleRecords.Simple(1));
        writer.Flush();

        var read = await JournalFiles.ReadAllAsync(writer.CurrentPath!, new ReadStats());

        Assert.Single(read);
    }
}
