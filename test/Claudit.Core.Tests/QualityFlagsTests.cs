using System.Buffers;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Core.Tests;

public class QualityFlagsTests
{
    private static CallRecord Ok(string stop, long output) => new()
    {
        Id = Guid.CreateVersion7(),
        StartTime = DateTimeOffset.UnixEpoch,
        StopReason = stop,
        Usage = new TokenUsage { InputTokens = 100, OutputTokens = output },
    };

    [Fact]
    public void Flags_come_from_the_stop_reason_the_output_size_and_the_text()
    {
        Assert.Equal([QualityFlags.MaxTokens], QualityFlags.Evaluate(Ok("max_tokens", 1024)));
        Assert.Equal([QualityFlags.Refusal], QualityFlags.Evaluate(Ok("refusal", 40)));
        Assert.Equal([QualityFlags.ShortOutput], QualityFlags.Evaluate(Ok("end_turn", 1)));
        Assert.Equal([QualityFlags.Refusal], QualityFlags.Evaluate(Ok("end_turn", 30), "I'm unable to share that, sorry."));
        var loop = string.Join(' ', Enumerable.Repeat("again and again", 30));
        Assert.Equal([QualityFlags.LowUniqueness], QualityFlags.Evaluate(Ok("end_turn", 90), loop));
        Assert.Empty(QualityFlags.Evaluate(Ok("end_turn", 90), "A perfectly ordinary answer with enough different words in it to pass."));
        Assert.Empty(QualityFlags.Evaluate(Ok("max_tokens", 5) with { Status = CallStatus.Error }));
    }

    [Fact]
    public void A_refusal_phrase_deep_in_a_long_answer_is_not_a_refusal()
    {
        var text = new string('x', 300) + " the model said I'm unable to do that.";
        Assert.False(QualityFlags.SoundsLikeRefusal(text));
    }

    [Fact]
    public void Quality_flags_and_context_utilisation_round_trip_through_the_record_format()
    {
        var record = Ok("max_tokens", 1024) with { QualityFlags = [QualityFlags.MaxTokens, QualityFlags.LowUniqueness], ContextUtilisation = 0.81234567 };
        var json = Write(record);
        Assert.Contains("\"quality_flags\":[\"max_tokens\",\"low_uniqueness\"]", json, StringComparison.Ordinal);
        Assert.Contains("\"context_utilisation\":0.8123", json, StringComparison.Ordinal);

        Assert.True(CallRecordJsonReader.TryRead(System.Text.Encoding.UTF8.GetBytes(json), out var read, out var error), error);
        Assert.Equal(record.QualityFlags, read!.QualityFlags);
        Assert.Equal(0.8123, read.ContextUtilisation);
        Assert.Equal(json, Write(read));
    }

    [Fact]
    public void Records_without_them_omit_both_fields()
    {
        var json = Write(Ok("end_turn", 50));
        Assert.DoesNotContain("quality_flags", json, StringComparison.Ordinal);
        Assert.DoesNotContain("context_utilisation", json, StringComparison.Ordinal);
        Assert.True(CallRecordJsonReader.TryRead(System.Text.Encoding.UTF8.GetBytes(json), out var read, out _));
        Assert.Empty(read!.QualityFlags);
        Assert.Null(read.ContextUtilisation);
    }

    private static string Write(CallRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            CallRecordJsonWriter.Write(writer, record);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
