using System.Text.Json;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Core.Serialization;
using Claudit.Core.Tests.Support;

namespace Claudit.Core.Tests.Reporting;

/// <summary>
/// A report folds each line from its fields (<see cref="CallRecordJsonReader.TryReadReportFields"/>), without a
/// record per line (issue 17: a report's speed). That fold must give the report the record fold gives, byte for
/// byte, and skip the same lines for the same reasons: over generated lines of the three shapes (Claudit's full
/// and lean, tracer.py's) with errors, cache classes and an unknown model, hand-built records of other endpoints,
/// batches and retries, and damaged lines, under every grouping, both cost modes and the filters.
/// </summary>
public class ReportFieldsFoldTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 23, 50, 0, TimeSpan.Zero);

    private static readonly Lazy<byte[][]> s_lines = new(Lines);

    public static TheoryData<string> OptionSets() =>
    [
        "model recorded", "model recomputed", "feature recomputed", "user recorded", "tenant recomputed", "session recorded",
        "day recomputed", "endpoint recorded", "filter-model", "filter-feature-user", "filter-tenant", "filter-time", "allowed-tenants",
        "endpoint-all", "endpoint-count-tokens", "short-lists", "no-lists",
    ];

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void The_fields_fold_gives_the_record_folds_report_and_skips(string set)
    {
        var options = OptionsFor(set);
        foreach (var read in new[] { CallRecordReadOptions.ForReport(options.CostMode == CostMode.Recorded), CallRecordReadOptions.Full })
        {
            var (byRecord, recordErrors) = FoldByRecords(options, read);
            var (byFields, fieldErrors) = FoldByFields(options, read);

            Assert.Equal(recordErrors, fieldErrors);
            Assert.Equal(ReportJsonContext.Serialize(byRecord), ReportJsonContext.Serialize(byFields));
        }
    }

    [Fact]
    public void The_lines_exercise_what_the_fold_reads()
    {
        var read = CallRecordReadOptions.Full;
        var (report, errors) = FoldByFields(new ReportOptions { Filter = new RecordFilter { Endpoint = EndpointScope.All } }, read);
        var recomputed = FoldByFields(new ReportOptions { CostMode = CostMode.Recomputed }, read).Report;
        var billable = FoldByFields(new ReportOptions(), read).Report;

        Assert.True(errors.Count > 100, $"damaged lines refused: {errors.Count}");
        Assert.True(report.Errors > 50);
        Assert.True(report.Coverage.UnpricedCalls > 0);
        Assert.True(report.Coverage.CallsWithoutUsage > 0);
        Assert.True(report.Tokens.CacheWrite > 0 && report.Tokens.CacheRead > 0);
        Assert.True(recomputed.CostBreakdownUsd.CacheWrite1h > 0, "no 1h cache writes were priced");
        Assert.Contains(report.ErrorsByType, e => e.Key == "rate_limit_error");
        Assert.NotEqual(report.FailureRateAfterRetries, report.ErrorRate);
        Assert.Contains(billable.OtherEndpoints, e => e.Endpoint == EndpointKinds.CountTokens);
        Assert.Single(report.BatchGaps);
        Assert.Equal(10, report.TopCalls.Count);
        Assert.Equal(10, report.RecentErrors.Count);
        Assert.Contains(report.TopCalls, c => c.RequestId is not null);
        Assert.Contains(report.RecentErrors, e => e.RequestId is not null && e.Message is not null);
        Assert.Contains("tracer.py", report.PriceTableVersion!.Split(','));
    }

    [Fact]
    public void Mutated_lines_read_as_the_same_fields_or_the_same_refusal()
    {
        var lines = s_lines.Value;
        var mutator = new Mutator(9090);
        var options = new[] { CallRecordReadOptions.ForReport(true), CallRecordReadOptions.ForReport(false), CallRecordReadOptions.Full };
        int taken = 0, refused = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var line = i % 3 == 0 ? mutator.Mutate(mutator.Mutate(lines[i % lines.Length])) : mutator.Mutate(lines[i % lines.Length]);
            var read = options[i % options.Length];
            CallRecord? record = null;
            string? recordError = null;
            var byRecord = false;
            var thrown = Record.Exception(() => byRecord = CallRecordJsonReader.TryRead(line, null, read, out record, out recordError));
            if (thrown is not null)
            {
                // A time out of DateTimeOffset's range throws from the record read (RecordLineScanTests): from this one alike.
                Assert.Equal(thrown.GetType(), Record.Exception(() => CallRecordJsonReader.TryReadReportFields(line, null, read, out _, out _))?.GetType());
                continue;
            }

            var byFields = CallRecordJsonReader.TryReadReportFields(line, null, read, out var fields, out var fieldsError);

            Assert.Equal(byRecord, byFields);
            Assert.Equal(recordError, fieldsError);
            if (byRecord)
            {
                var expected = ReportFields.Of(record!);
                Assert.Equal(expected.StartTime, fields.StartTime);
                Assert.Equal(expected.EndpointKind, fields.EndpointKind);
                Assert.Equal(expected.Batch, fields.Batch);
                Assert.Equal(expected.PricedModel, fields.PricedModel);
                Assert.Equal(expected.IsError, fields.IsError);
                Assert.Equal(expected.Error, fields.Error);
                Assert.Equal(expected.StopReason, fields.StopReason);
                Assert.Equal(expected.Usage, fields.Usage);
                Assert.Equal(expected.Cost, fields.Cost);
                Assert.Equal(expected.LatencyMs, fields.LatencyMs);
                Assert.Equal(expected.TtftMs, fields.TtftMs);
                Assert.Equal(expected.Tags with { Properties = null }, fields.Tags with { Properties = null });
                Assert.Equal(record, fields.Record() with { Tags = record!.Tags, ToolCalls = record.ToolCalls, QualityFlags = record.QualityFlags });
            }

            _ = byRecord ? taken++ : refused++;
        }

        Assert.True(taken > 1000, $"taken {taken}");
        Assert.True(refused > 1000, $"refused {refused}");
    }

    [Fact]
    public void A_report_line_reads_no_request_id_until_its_record_is_asked_for()
    {
        var line = """{"request_id":"req_1","caller":"app/chat.py:1","function":"chat","ts_start":1793491200.268,"model_used":"claude-haiku-4-5","status":"ok","input_tokens":10,"cost_usd":0.01}"""u8;
        var pool = new Utf8StringPool();

        Assert.True(CallRecordJsonReader.TryReadReportFields(line, pool, CallRecordReadOptions.ForReport(true), out var fields, out var error), error);
        Assert.Equal("chat", fields.Tags.Feature);
        Assert.Equal(0.01m, fields.Cost!.Value.TotalUsd);
        Assert.Equal(10, fields.Usage!.Value.InputTokens);

        Assert.True(CallRecordJsonReader.TryRead(line, pool, CallRecordReadOptions.ForReport(true), out var expected, out _));
        var record = fields.Record();
        Assert.Equal("req_1", record.RequestId);
        Assert.Equal(expected!.Id, record.Id);
        Assert.Equal(ReportFields.Of(expected).PricedModel, fields.PricedModel);
    }

    private static (Report Report, List<string> Errors) FoldByRecords(ReportOptions options, CallRecordReadOptions read)
    {
        var accumulator = new ReportAccumulator(options, CostCalculator.Default);
        var pool = new Utf8StringPool();
        var errors = new List<string>();
        foreach (var line in s_lines.Value)
        {
            if (CallRecordJsonReader.TryRead(line, pool, read, out var record, out var error))
            {
                accumulator.Add(record!);
            }
            else
            {
                errors.Add(error!);
            }
        }

        return (accumulator.Build(), errors);
    }

    private static (Report Report, List<string> Errors) FoldByFields(ReportOptions options, CallRecordReadOptions read)
    {
        var accumulator = new ReportAccumulator(options, CostCalculator.Default);
        var pool = new Utf8StringPool();
        var errors = new List<string>();
        foreach (var line in s_lines.Value)
        {
            if (CallRecordJsonReader.TryReadReportFields(line, pool, read, out var fields, out var error))
            {
                accumulator.Add(in fields);
            }
            else
            {
                errors.Add(error!);
            }
        }

        return (accumulator.Build(), errors);
    }

    private static ReportOptions OptionsFor(string set) => set switch
    {
        "model recorded" => new ReportOptions(),
        "model recomputed" => new ReportOptions { CostMode = CostMode.Recomputed },
        "feature recomputed" => new ReportOptions { GroupBy = GroupBy.Feature, CostMode = CostMode.Recomputed },
        "user recorded" => new ReportOptions { GroupBy = GroupBy.User },
        "tenant recomputed" => new ReportOptions { GroupBy = GroupBy.Tenant, CostMode = CostMode.Recomputed },
        "session recorded" => new ReportOptions { GroupBy = GroupBy.Session },
        "day recomputed" => new ReportOptions { GroupBy = GroupBy.Day, CostMode = CostMode.Recomputed },
        "endpoint recorded" => new ReportOptions { GroupBy = GroupBy.Endpoint, Filter = new RecordFilter { Endpoint = EndpointScope.All } },
        "filter-model" => new ReportOptions { Filter = new RecordFilter { Model = "claude-sonnet" } },
        "filter-feature-user" => new ReportOptions { CostMode = CostMode.Recomputed, Filter = new RecordFilter { Feature = "chat", User = "user_00001" } },
        "filter-tenant" => new ReportOptions { GroupBy = GroupBy.User, Filter = new RecordFilter { Tenant = "tenant_01" } },
        "filter-time" => new ReportOptions { GroupBy = GroupBy.Day, Filter = new RecordFilter { Since = Start.AddMinutes(20), Until = Start.AddMinutes(40) } },
        "allowed-tenants" => new ReportOptions { Filter = new RecordFilter { AllowedTenants = new HashSet<string> { "tenant_00", "tenant_02" } } },
        "endpoint-all" => new ReportOptions { CostMode = CostMode.Recomputed, Filter = new RecordFilter { Endpoint = EndpointScope.All } },
        "endpoint-count-tokens" => new ReportOptions { Filter = new RecordFilter { Endpoint = EndpointKinds.CountTokens } },
        "short-lists" => new ReportOptions { TopN = 3, RecentErrors = 2 },
        "no-lists" => new ReportOptions { TopN = 0, RecentErrors = 0, GroupBy = GroupBy.Feature },
        _ => throw new ArgumentOutOfRangeException(nameof(set)),
    };

    /// <summary>Generated lines of the three shapes, hand-built records, calls of other kinds, and every 40th line damaged.</summary>
    private static byte[][] Lines()
    {
        var lines = new List<byte[]>();
        var full = new RecordGenerator(seed: 7, Start);
        var lean = new RecordGenerator(seed: 8, Start, lean: true);
        var tracer = new RecordGenerator(seed: 9, Start);
        for (var i = 0; i < 2000; i++)
        {
            lines.Add(Json(w => CallRecordJsonWriter.Write(w, full.Next())));
            lines.Add(Json(w => CallRecordJsonWriter.Write(w, lean.Next())));
            lines.Add(Json(w => TracerLines.Write(w, tracer.Next(), i)));
        }

        lines.AddRange(HandBuiltRecords.All.Concat(OtherCalls()).Select(r => Json(w => CallRecordJsonWriter.Write(w, r))));
        lines.Add("""{"id":"01a19467-0000-7000-8000-0000000000aa","start_time":"2026-11-02T10:00:00Z","status":"error","http_status":503,"model_used":"claude-sonnet-4-5","latency_ms":12,"request_id":"req_503"}"""u8.ToArray());
        lines.Add("""{"ts_start":1793491200.5,"caller":"x.py:1","function":"chat","status":"error","error":{"type":"APIStatusError","message":"boom","status_code":500},"latency_s":0.1,"request_id":"req_t500"}"""u8.ToArray());
        lines.Add("""{"ts_start":"2026-11-02T11:00:00","function":"caf\u00e9","input_tokens":12,"model_used":"claude-haiku-4-5","cost_usd":1E-3,"tags":{"user":"u\u0031"}}"""u8.ToArray());

        var mutator = new Mutator(4242);
        var damaged = lines.Select((line, i) => i % 40 == 0 ? mutator.Mutate(line) : line).ToArray();
        var cut = lines.Where((_, i) => i % 97 == 0).Select(line => line[..(line.Length / 2)]);
        return [.. damaged, .. cut];
    }

    /// <summary>Calls the generator does not make: other endpoints, a batch that ended without results, one that has them, retries.</summary>
    private static IEnumerable<CallRecord> OtherCalls()
    {
        var at = HandBuiltRecords.Day1.AddHours(15);
        yield return new CallRecord
        {
            Id = HandBuiltRecords.IdOf(100), StartTime = at, Endpoint = "/v1/messages/count_tokens", EndpointKind = EndpointKinds.CountTokens,
            ModelRequested = "claude-sonnet-4-5", LatencyMs = 30, Usage = new TokenUsage { InputTokens = 500 },
        };
        foreach (var (n, id, ended) in new[] { (101, "msgbatch_a", true), (102, "msgbatch_b", true) })
        {
            yield return new CallRecord
            {
                Id = HandBuiltRecords.IdOf(n), StartTime = at.AddMinutes(n), Endpoint = "/v1/messages/batches", EndpointKind = EndpointKinds.Batches, LatencyMs = 40,
                Batch = new BatchCallInfo { Id = id, ProcessingStatus = ended ? "ended" : "in_progress", RequestCount = 2 },
            };
        }

        yield return CostCalculator.Default.Apply(new CallRecord
        {
            Id = HandBuiltRecords.IdOf(103), StartTime = at.AddMinutes(5), EndpointKind = EndpointKinds.BatchResult, ModelUsed = "claude-haiku-4-5", LatencyMs = 50,
            Batch = new BatchCallInfo { Id = "msgbatch_b", CustomId = "c1", Result = "succeeded" },
            Usage = new TokenUsage { InputTokens = 100, OutputTokens = 10, ServiceTier = "batch" },
        });
        for (var n = 104; n < 110; n++)
        {
            yield return CostCalculator.Default.Apply(new CallRecord
            {
                Id = HandBuiltRecords.IdOf(n), StartTime = at.AddMinutes(n), ModelUsed = "claude-sonnet-4-5", LatencyMs = 60, RequestId = $"req_{n}",
                Status = n % 2 == 0 ? CallStatus.Error : CallStatus.Ok,
                Error = n % 2 == 0 ? new CallError { Type = "overloaded_error", Message = "Overloaded" } : null,
                Usage = n % 2 == 0 ? null : new TokenUsage { InputTokens = 10, OutputTokens = 5, CacheCreationInputTokens = 300, CacheCreation1hInputTokens = 300 },
                Tags = new CallTags { Feature = "chat", User = "u9", ParentId = n > 104 ? "parent-1" : null, Attempt = n - 104 },
            });
        }
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
