using System.Text.Json;
using Claudit.Core.Records;

namespace Claudit.Core.Anthropic;

/// <summary>Parses a non-streaming Messages response body (or an error body). Never throws.</summary>
public static class MessageResponseParser
{
    public static MessageObservation Parse(ReadOnlySpan<byte> body) => Parse(body, collectTextChars: 0);

    /// <summary>As <see cref="Parse(ReadOnlySpan{byte})"/>, also gathering the answer's text (content capture) up to <paramref name="collectTextChars"/> when above 0.</summary>
    internal static MessageObservation Parse(ReadOnlySpan<byte> body, int collectTextChars)
    {
        var result = new MessageObservation { Text = collectTextChars > 0 ? new OutputTextCollector(collectTextChars) : null };
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                result.MalformedEvents++;
                return result;
            }

            var isMessage = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8)) { reader.Read(); isMessage |= reader.ValueTextEquals("message"u8); }
                else if (reader.ValueTextEquals("id"u8)) { reader.Read(); result.MessageId = StringOrNull(ref reader); }
                else if (reader.ValueTextEquals("model"u8)) { reader.Read(); result.Model = StringOrNull(ref reader); }
                else if (reader.ValueTextEquals("stop_reason"u8)) { reader.Read(); result.StopReason = StringOrNull(ref reader); }
                else if (reader.ValueTextEquals("stop_sequence"u8)) { reader.Read(); result.StopSequence = StringOrNull(ref reader); }
                else if (reader.ValueTextEquals("usage"u8)) { reader.Read(); result.UsageState.Read(ref reader); }
                else if (reader.ValueTextEquals("content"u8)) { reader.Read(); ReadContent(ref reader, result); }
                else if (reader.ValueTextEquals("error"u8)) { reader.Read(); ErrorBody.ReadErrorObject(ref reader, result); }
                else if (reader.ValueTextEquals("request_id"u8)) { reader.Read(); result.RequestId = StringOrNull(ref reader); }
                else { reader.Read(); reader.Skip(); }
            }

            result.Complete = isMessage && !result.HasError;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            result.MalformedEvents++;
        }

        return result;
    }

    private static void ReadContent(ref Utf8JsonReader reader, MessageObservation result)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            result.ContentBlocks++;
            result.Text?.StartBlock();
            string? type = null, name = null;
            IReadOnlyList<string> keys = [];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8)) { reader.Read(); type = StringOrNull(ref reader); }
                else if (reader.ValueTextEquals("name"u8)) { reader.Read(); name = StringOrNull(ref reader); }
                else if (reader.ValueTextEquals("input"u8)) { reader.Read(); keys = ToolInputKeys.FromObject(ref reader); }
                else if (reader.ValueTextEquals("text"u8) && result.Text is { } collected)
                {
                    reader.Read();
                    collected.Append(StringOrNull(ref reader));
                }
                else { reader.Read(); reader.Skip(); }
            }

            if (type is "tool_use" or "server_tool_use" && name is not null)
            {
                result.AddToolCall(new ToolCallInfo(name, keys) { Kind = type });
                result.Text?.ToolUse(name);
            }
        }
    }

    internal static string? StringOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }
}
