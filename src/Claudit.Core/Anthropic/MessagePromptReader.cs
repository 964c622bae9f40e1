using System.Text;
using System.Text.Json;
using Claudit.Core.Records;

namespace Claudit.Core.Anthropic;

/// <summary>
/// A Messages request's prompt as text, for content capture (opt-in; runs off the request path): the system
/// prompt, then each message with its role. Text parts are kept as they are; a tool call is summarised as
/// <c>[tool_use NAME: INPUT]</c>, a tool's result as <c>[tool_result]</c> (or <c>[tool_result error]</c>) then
/// its text, other parts (images, documents) by their type. Bounded: past <c>maxChars</c> in all, the rest is cut
/// with <see cref="OutputTextCollector.TruncationMarker"/>. Never throws: a body that is not JSON has no prompt.
/// </summary>
internal static class MessagePromptReader
{
    /// <summary>How much of a tool call's input is kept in its summary.</summary>
    private const int MaxToolInputChars = 500;

    public static IReadOnlyList<ContentMessage> Read(ReadOnlySpan<byte> body, int maxChars)
    {
        var messages = new List<ContentMessage>();
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return messages;
            }

            var budget = maxChars;
            if (root.TryGetProperty("system", out var system) && Text(system) is { Length: > 0 } systemText)
            {
                messages.Add(new ContentMessage("system", Cut(systemText, ref budget)));
            }

            if (root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var message in list.EnumerateArray())
                {
                    if (budget <= 0)
                    {
                        messages.Add(new ContentMessage("user", OutputTextCollector.TruncationMarker.Trim()));
                        break;
                    }

                    if (message.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    var role = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "user";
                    var text = message.TryGetProperty("content", out var content) ? Text(content) : "";
                    messages.Add(new ContentMessage(role, Cut(text, ref budget)));
                }
            }
        }
        catch (JsonException)
        {
            // Not a JSON body: the API refuses it, and there is no prompt to keep.
        }

        return messages;
    }

    private static string Cut(string text, ref int budget)
    {
        if (text.Length <= budget)
        {
            budget -= text.Length;
            return text;
        }

        var kept = text[..Math.Max(0, budget)] + OutputTextCollector.TruncationMarker;
        budget = 0;
        return kept;
    }

    /// <summary>A content value (a string, or an array of parts) as text, parts on their own lines.</summary>
    private static string Text(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (Part(part) is { Length: > 0 } line)
            {
                if (text.Length > 0)
                {
                    text.Append('\n');
                }

                text.Append(line);
            }
        }

        return text.ToString();
    }

    private static string Part(JsonElement part)
    {
        if (part.ValueKind == JsonValueKind.String)
        {
            return part.GetString()!;
        }

        if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
        {
            return "";
        }

        var type = t.GetString()!;
        switch (type)
        {
            case "text":
                return part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : "";
            case "tool_use" or "server_tool_use":
                var name = part.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : "?";
                var input = part.TryGetProperty("input", out var i) ? i.GetRawText() : "{}";
                return $"[{type} {name}: {(input.Length > MaxToolInputChars ? input[..MaxToolInputChars] + OutputTextCollector.TruncationMarker : input)}]";
            case "tool_result":
                var error = part.TryGetProperty("is_error", out var e) && e.ValueKind == JsonValueKind.True;
                var result = part.TryGetProperty("content", out var c) ? Text(c) : "";
                return (error ? "[tool_result error]" : "[tool_result]") + (result.Length > 0 ? " " + result : "");
            case "thinking" or "redacted_thinking":
                return "";
            default:
                return $"[{type}]";
        }
    }
}
