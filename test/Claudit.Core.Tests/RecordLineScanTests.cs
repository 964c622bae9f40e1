using System.Text;
using Claudit.Core.Records;
using Claudit.Core.Serialization;
using Claudit.Core.Tests.Support;

namespace Claudit.Core.Tests;

/// <summary>
/// The record reader scans a line's bytes first and leaves to the JSON reader what that scan does not take
/// (issue 17: a report's speed). The two must agree on every line: the same record, or the same refusal with
/// the same reason, on valid lines of each shape and on mutated and hostile ones. Seeds are fixed.
/// </summary>
public class RecordLineScanTests
{
    private static readonly string[] TracerLines =
    [
        """{"request_id":"req_01a19467e90c79f5a52c5d30","caller":"app/chat.py:1","function":"chat","ts_start":1793491200.268,"model_requested":"claude-haiku-4-5","status":"ok","error":null,"latency_s":8.195775,"model_used":"claude-haiku-4-5-20251001","input_tokens":2489,"output_tokens":1024,"cache_creation_tokens":5163,"cache_read_tokens":0,"stop_reason":"tool_use","cost_usd":0.017935}""",
        """{"request_id":"req_2","caller":"app/chat.py:3","function":"chat","ts_start":1793491200.283,"model_requested":"claude-opus-4-8","status":"error","error":{"type":"RateLimitError","message":"Number of request tokens has exceeded your \"per-minute\" rate limit","status_code":429},"latency_s":0.069,"model_used":null,"input_tokens":0,"output_tokens":0,"cache_creation_tokens":0,"cache_read_tokens":0,"stop_reason":null,"cost_usd":null}""",
        """ { "ts_start" : "2026-11-28T10:00:00" , "latency_s" : 1.5e0 , "function" : "caf\u00e9" , "input_tokens" : 12 , "cost_usd" : 1E-3 } """,
        """{"ts_start":1793491200,"caller":"x.py:9","input_tokens":-0,"output_tokens":3.0,"cache_read_tokens":1e2,"cost_usd":0.5,"unknown":{"a":[1,2,{"b":null}]},"latency_s":true}""",
    ];

    private static readonly CallRecordReadOptions[] Options = [CallRecordReadOptions.Full, CallRecordReadOptions.ForReport(true), CallRecordReadOptions.ForReport(false)];

    [Fact]
    public void Valid_lines_of_every_shape_read_the_same_both_ways()
    {
        var lines = Valid().ToList();
        foreach (var line in lines)
        {
            foreach (var options in Options)
            {
                var (ok, _) = AssertAgree(line, options);
                Assert.True(ok, Encoding.UTF8.GetString(line));
            }
        }
    }

    [Fact]
    public void Mutated_lines_are_taken_or_refused_the_same_both_ways()
    {
        var valid = Valid().ToArray();
        var mutator = new Mutator(1717);
        int taken = 0, refused = 0;
        for (var i = 0; i < 15_000; i++)
        {
            var line = (i % 4) switch
            {
                0 => mutator.RandomBytes(300),
                1 or 2 => mutator.Mutate(valid[i % valid.Length]),
                _ => mutator.Mutate(mutator.Mutate(valid[i % valid.Length])),
            };
            var (ok, _) = AssertAgree(line, Options[i % Options.Length]);
            _ = ok ? taken++ : refused++;
        }

        // Both kinds are exercised: some mutations still make records, most do not.
        Assert.True(taken > 500, $"taken {taken}");
        Assert.True(refused > 500, $"refused {refused}");
    }

    [Theory]
    [InlineData("""{"ts_start":1,"input_tokens":01}""")] // a leading zero is no JSON number
    [InlineData("""{"ts_start":1,"input_tokens":1.}""")]
    [InlineData("""{"ts_start":1,"input_tokens":.5}""")]
    [InlineData("""{"ts_start":1,"input_tokens":+5}""")]
    [InlineData("""{"ts_start":1,"input_tokens":12a}""")]
    [InlineData("""{"ts_start":1,"function":"a	b"}""")] // a raw tab inside a string
    [InlineData("""{"ts_start":1,"function":"chat"}x""")]
    [InlineData("""{"ts_start":1,"function":"chat",}""")]
    [InlineData("""{"ts_start":1,"function":tru}""")]
    [InlineData("""{"ts_start":1,"latency_s":{"x":1},"function":"f"}""")] // a number field that never stepped over an object
    [InlineData("""{"ts_start":1,"streaming":[],"caller":"c"}""")]
    [InlineData("""{"ts_start":1,"source":5,"caller":"c"}""")]
    [InlineData("""{"ts_start":1,"cost_usd":1e400,"caller":"c"}""")]
    [InlineData("""{"ts_start":1,"caller":"c","request_id":"\ud800"}""")] // a lone surrogate in a string the record keeps
    [InlineData("""{"ts_start":1,"caller":"c","prompt_hash":"\ud800"}""")] // ... and in one a report skips
    [InlineData("""{"ts_start":1,"caller":"c","model_used":"a\u0041","stop_reason":"\"x\""}""")]
    [InlineData("""{"ts_start":1e400,"caller":"c"}""")]
    [InlineData("""{"id":"0190f5a0-0000-7000-8000-000000000001","start_time":"2026-11-28T10:00:00Z","status":"ok","latency_ms":5}""")]
    [InlineData("""{"id":5,"start_time":"2026-11-28T10:00:00Z"}""")]
    [InlineData("""{}""")]
    [InlineData("""[]""")]
    [InlineData(""" """)]
    public void Hostile_lines_are_taken_or_refused_the_same_both_ways(string line)
    {
        foreach (var options in Options)
        {
            AssertAgree(Encoding.UTF8.GetBytes(line), options);
        }
    }

    [Fact]
    public void Times_out_of_range_refuse_the_line_both_ways()
    {
        // They threw (and stopped `claudit report` with a stack trace) until a damaged digit in a tracer.py line showed it.
        foreach (var line in new[] { """{"ts_start":1e300,"caller":"c"}"""u8.ToArray(), """{"ts_start":1793e91200,"caller":"c"}"""u8.ToArray(), """{"ts_start":-1e12,"caller":"c"}"""u8.ToArray() })
        {
            Assert.False(CallRecordJsonReader.TryRead(line, new Utf8StringPool(), CallRecordReadOptions.Full, out _, out var scanError));
            Assert.False(CallRecordJsonReader.TryReadByJsonReader(line, null, CallRecordReadOptions.Full, out _, out var readerError));
            Assert.Equal(readerError, scanError);
            Assert.NotNull(scanError);
        }
    }

    private static (bool Ok, CallRecord? Record) AssertAgree(byte[] line, CallRecordReadOptions options)
    {
        var text = Encoding.UTF8.GetString(line);
        CallRecord? a = null, b = null;
        string? errorA = null, errorB = null;
        var scanned = false;
        var tokenised = false;
        var thrownA = Record.Exception(() => scanned = CallRecordJsonReader.TryRead(line, new Utf8StringPool(), options, out a, out errorA));
        var thrownB = Record.Exception(() => tokenised = CallRecordJsonReader.TryReadByJsonReader(line, new Utf8StringPool(), options, out b, out errorB));
        // A time out of DateTimeOffset's range throws from both alike (as it did before the scan existed).
        Assert.True(thrownA?.GetType() == thrownB?.GetType(), $"scan threw {thrownA?.GetType().Name}, the JSON reader {thrownB?.GetType().Name}: {text}");
        if (thrownA is not null)
        {
            return (false, null);
        }

        Assert.True(scanned == tokenised, $"{(scanned ? "taken" : "refused")} by the scan, not by the JSON reader ({errorB}): {text}");
        Assert.Equal(errorB, errorA);
        if (scanned)
        {
            Assert.Equal(RecordLines.Of(b!), RecordLines.Of(a!));
        }

        return (scanned, a);
    }

    private static IEnumerable<byte[]> Valid()
    {
        foreach (var line in TracerLines)
        {
            yield return Encoding.UTF8.GetBytes(line);
        }

        var full = new RecordGenerator(7, new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
        var lean = new RecordGenerator(8, new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero), lean: true);
        for (var i = 0; i < 200; i++)
        {
            yield return Encoding.UTF8.GetBytes(RecordLines.Of(full.Next()));
            yield return Encoding.UTF8.GetBytes(RecordLines.Of(lean.Next()));
        }
    }
}
