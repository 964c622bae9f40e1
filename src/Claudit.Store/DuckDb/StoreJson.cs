using System.Buffers;
using System.Text;
using System.Text.Json;
using Claudit.Core.Records;

namespace Claudit.Store.DuckDb;

/// <summary>
/// The two parts of a record that are not scalars, as JSON text in their columns: tool calls
/// (<c>[{"name","input_keys","kind"}]</c>, the record format's shape) and properties (a string map).
/// </summary>
internal static class StoreJson
{
    private const string ToolUse = "tool_use";

    public static string? ToolCalls(IReadOnlyList<ToolCallInfo> calls)
    {
        if (calls.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var call in calls)
            {
                w.WriteStartObject();
                w.WriteString("name"u8, call.Name);
                w.WriteStartArray("input_keys"u8);
                foreach (var key in call.InputKeys)
                {
                    w.WriteStringValue(key);
                }

                w.WriteEndArray();
                // Like the record format: the kind is written only when it is not the usual one.
                if (call.Kind != ToolUse)
                {
                    w.WriteString("kind"u8, call.Kind);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyList<ToolCallInfo> ReadToolCalls(string? json)
    {
        if (json is null)
        {
            return [];
        }

        using var doc = JsonDocument.Parse(json);
        var calls = new List<ToolCallInfo>(doc.RootElement.GetArrayLength());
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            var keys = e.GetProperty("input_keys").EnumerateArray().Select(k => k.GetString()!).ToArray();
            calls.Add(new ToolCallInfo(e.GetProperty("name").GetString()!, keys)
            {
                Kind = e.TryGetProperty("kind", out var kind) ? kind.GetString()! : ToolUse,
            });
        }

        return calls;
    }

    public static string? Properties(IReadOnlyDictionary<string, string>? properties)
    {
        if (properties is null || properties.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyDictionary<string, string>? ReadProperties(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(json);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            properties[p.Name] = p.Value.GetString()!;
        }

        return properties;
    }
}
