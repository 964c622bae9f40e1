using System.Globalization;
using System.Text.Json;
using Claudit.Core.Ingest;

namespace Claudit.Server.Otlp;

/// <summary>
/// OTLP/HTTP JSON (<c>application/json</c>): the protobuf mapping of an <c>ExportTraceServiceRequest</c> with
/// OTLP's own rules — trace and span ids as hex, 64-bit integers as numbers or strings, enums as integers,
/// lowerCamelCase names (the protos' snake_case names are accepted too).
/// </summary>
internal static class OtlpJsonDecoder
{
    /// <summary>The spans of the request; throws <see cref="JsonException"/> (or <see cref="FormatException"/>) when it is not one.</summary>
    public static List<TelemetrySpan> Decode(ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        var spans = new List<TelemetrySpan>();
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("an ExportTraceServiceRequest is a JSON object");
        }

        foreach (var resourceSpans in Array(root, "resourceSpans", "resource_spans"))
        {
            var resource = Prop(resourceSpans, "resource") is { } r ? Attributes(r) : new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var scopeSpans in Array(resourceSpans, "scopeSpans", "scope_spans"))
            {
                var scope = Prop(scopeSpans, "scope") is { } s && Prop(s, "name") is { ValueKind: JsonValueKind.String } name ? name.GetString() : null;
                foreach (var span in Array(scopeSpans, "spans"))
                {
                    var status = Prop(span, "status");
                    spans.Add(new TelemetrySpan
                    {
                        Name = Text(span, "name") ?? "",
                        TraceId = Id(Text(span, "traceId", "trace_id")),
                        SpanId = Id(Text(span, "spanId", "span_id")),
                        ParentSpanId = Text(span, "parentSpanId", "parent_span_id") is { Length: > 0 } parent ? Id(parent) : null,
                        StartUnixNano = Nanos(Prop(span, "startTimeUnixNano", "start_time_unix_nano")),
                        EndUnixNano = Nanos(Prop(span, "endTimeUnixNano", "end_time_unix_nano")),
                        StatusError = status is { } st && Prop(st, "code") is { } code && (code.ValueKind == JsonValueKind.Number ? code.GetInt32() == 2 : code.GetString() == "STATUS_CODE_ERROR"),
                        StatusMessage = status is { } sm ? Text(sm, "message") : null,
                        ScopeName = scope,
                        Attributes = Attributes(span),
                        Resource = resource,
                    });
                }
            }
        }

        return spans;
    }

    private static Dictionary<string, object?> Attributes(JsonElement owner)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var kv in Array(owner, "attributes"))
        {
            if (Text(kv, "key") is { } key)
            {
                map[key] = Prop(kv, "value") is { } v ? Value(v) : null;
            }
        }

        return map;
    }

    private static object? Value(JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var p in v.EnumerateObject())
        {
            switch (p.Name)
            {
                case "stringValue" or "string_value": return p.Value.GetString();
                case "intValue" or "int_value":
                    return p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetInt64() : long.Parse(p.Value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture);
                case "doubleValue" or "double_value":
                    return p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : double.Parse(p.Value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
                case "boolValue" or "bool_value": return p.Value.GetBoolean();
                case "arrayValue" or "array_value": return Array(p.Value, "values").Select(Value).ToArray();
            }
        }

        return null;
    }

    private static IEnumerable<JsonElement> Array(JsonElement owner, params string[] names) =>
        Prop(owner, names) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    private static JsonElement? Prop(JsonElement owner, params string[] names)
    {
        if (owner.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                return value;
            }
        }

        return null;
    }

    private static string? Text(JsonElement owner, params string[] names) =>
        Prop(owner, names) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    private static ulong Nanos(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Number } n => n.GetUInt64(),
        { ValueKind: JsonValueKind.String } s => ulong.Parse(s.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture),
        _ => 0,
    };

    /// <summary>A hex id as OTLP/JSON writes it, checked and lowercased.</summary>
    private static string Id(string? hex)
    {
        if (string.IsNullOrEmpty(hex))
        {
            return "";
        }

        if (hex.Length % 2 != 0 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new FormatException($"'{hex}' is not a hex trace or span id");
        }

        return hex.ToLowerInvariant();
    }
}
