using System.Text.Json;

namespace Claudit.Core.Records;

/// <summary>
/// Captured content as JSON: <c>{"call_id","start_time","model","messages":[{"role","text"}],"output"}</c> (the
/// library's content JSONL, docs/instrumentation.md), and its messages alone (what a store keeps in a column).
/// </summary>
internal static class CallContentJson
{
    public static void Write(Utf8JsonWriter w, CallContent content)
    {
        w.WriteStartObject();
        w.WriteString("call_id"u8, content.CallId);
        w.WriteString("start_time"u8, content.StartTime.UtcDateTime);
        if (content.Model is { } model) w.WriteString("model"u8, model);
        w.WritePropertyName("messages"u8);
        WriteMessages(w, content.Messages);
        if (content.Output is { } output) w.WriteString("output"u8, output);
        w.WriteEndObject();
    }

    public static void WriteMessages(Utf8JsonWriter w, IReadOnlyList<ContentMessage> messages)
    {
        w.WriteStartArray();
        foreach (var message in messages)
        {
            w.WriteStartObject();
            w.WriteString("role"u8, message.Role);
            w.WriteString("text"u8, message.Text);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>The messages as one JSON array text.</summary>
    public static string MessagesText(IReadOnlyList<ContentMessage> messages)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteMessages(w, messages);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The messages of <see cref="MessagesText"/>; text that is not such an array reads as none.</summary>
    public static IReadOnlyList<ContentMessage> ReadMessages(string json)
    {
        var messages = new List<ContentMessage>();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return messages;
            }

            foreach (var m in document.RootElement.EnumerateArray())
            {
                if (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("role", out var role) && m.TryGetProperty("text", out var text)
                    && role.ValueKind == JsonValueKind.String && text.ValueKind == JsonValueKind.String)
                {
                    messages.Add(new ContentMessage(role.GetString()!, text.GetString()!));
                }
            }
        }
        catch (JsonException)
        {
        }

        return messages;
    }
}
