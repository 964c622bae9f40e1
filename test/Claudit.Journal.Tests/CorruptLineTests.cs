using System.Text;
using Claudit.Core.Serialization;

namespace Claudit.Journal.Tests;

/// <summary>A line that is not a record returns false with a reason; the reader never throws on input.</summary>
public class CorruptLineTests
{
    public static TheoryData<string> NotRecords()
    {
        var full = SampleRecords.ToLine(SampleRecords.Full());
        return new TheoryData<string>
        {
            "",
            "not json at all",
            "{",
            full[..(full.Length / 2)], // truncated mid-record, as a crash leaves it
            full[..^1], // only the closing brace missing
            "[1,2,3]",
            "[" + full + "]",
            "null",
            "42",
            "\"a string\"",
            "{}",
            "{\"start_time\":\"2026-11-01T00:00:00Z\"}", // no id
            "{\"id\":\"01a19467-e89c-7b37-a1e7-6e3cfa877061\"}", // no start_time
            "{\"id\":\"not-a-guid\",\"start_time\":\"2026-11-01T00:00:00Z\"}",
            "{\"id\":\"01a19467-e89c-7b37-a1e7-6e3cfa877061\",\"start_time\":\"yesterday\"}",
            "{\"id\":\"01a19467-e89c-7b37-a1e7-6e3cfa877061\",\"start_time\":\"2026-11-01T00:00:00Z\"} {\"id\":1}", // two objects on a line
            "{\"id\":\"01a19467-e89c-7b37-a1e7-6e3cfa877061\",\"start_time\":\"2026-11-01T00:00:00Z\",\"source\":{\"x\":1}}",
            "{\"id\":\"01a19467-e89c-7b37-a1e7-6e3cfa877061\",\"start_time\":\"2026-11-01T00:00:00Z\",\"usage\":{\"input_tokens\":}}",
            "{\"id\":\"01a19467-e89c-7b37-a1e7-6e3cfa877061\",\"start_time\":\"2026-11-01T00:00:00Z\",'single':'quotes'}",
            new string('[', 100) + new string(']', 100), // deeper than the reader allows
            full.Replace("\"status\":\"error\"", "\"status\":\"error\",,", StringComparison.Ordinal),
        };
    }

    [Theory]
    [MemberData(nameof(NotRecords))]
    public void Not_a_record_returns_false_with_a_reason(string line)
    {
        var ok = CallRecordJsonReader.TryRead(Encoding.UTF8.GetBytes(line), new Utf8StringPool(), out var record, out var error);

        Assert.False(ok, $"read as a record: {line}");
        Assert.Null(record);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Missing_id_and_missing_start_time_say_so()
    {
        Assert.False(CallRecordJsonReader.TryRead("{\"start_time\":\"2026-11-01T00:00:00Z\"}"u8, out _, out var noId));
        Assert.False(CallRecordJsonReader.TryRead("{\"id\":\"01a19467-e89c-7b37-a1e7-6e3cfa877061\"}"u8, out _, out var noStart));
        Assert.False(CallRecordJsonReader.TryRead("[{\"id\":\"01a19467-e89c-7b37-a1e7-6e3cfa877061\"}]"u8, out _, out var array));

        Assert.Contains("id", noId, StringComparison.Ordinal);
        Assert.Contains("start_time", noStart, StringComparison.Ordinal);
        Assert.Contains("not a JSON object", array, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model_used")] // read through the string pool
    [InlineData("request_id")] // read as a fresh string
    [InlineData("message")] // inside the error object
    [InlineData("start_time")]
    [InlineData("id")]
    public void Invalid_utf8_in_a_value_never_throws(string field)
    {
        var full = SampleRecords.ToJson(SampleRecords.Full());
        var at = full.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes($"\"{field}\":\"")) + field.Length + 4;
        Assert.True(at > field.Length + 4, $"{field} not found");
        var line = full.ToArray();
        line[at + 1] = 0xFF;
        line[at + 2] = 0xC0;

        var thrown = Record.Exception(() => CallRecordJsonReader.TryRead(line, new Utf8StringPool(), out _, out _));

        Assert.Null(thrown);
    }

    [Fact]
    public void Every_prefix_of_a_record_is_rejected_without_throwing()
    {
        var full = SampleRecords.ToJson(SampleRecords.Full());
        for (var length = 0; length < full.Length; length++)
        {
            var ok = CallRecordJsonReader.TryRead(full.AsSpan(0, length), new Utf8StringPool(), out var record, out var error);

            Assert.False(ok, $"a prefix of {length} bytes read as a record");
            Assert.Null(record);
            Assert.NotNull(error);
        }
    }
}
