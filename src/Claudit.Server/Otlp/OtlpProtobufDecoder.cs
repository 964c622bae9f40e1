using Claudit.Core.Ingest;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Claudit.Server.Otlp;

/// <summary>OTLP/HTTP protobuf (<c>application/x-protobuf</c>): an <c>ExportTraceServiceRequest</c>, read with the code protoc generated from the vendored protos.</summary>
internal static class OtlpProtobufDecoder
{
    /// <summary>The spans of the request; throws <see cref="InvalidProtocolBufferException"/> when it is not one.</summary>
    public static List<TelemetrySpan> Decode(ReadOnlySpan<byte> body)
    {
        var request = ExportTraceServiceRequest.Parser.ParseFrom(body);
        var spans = new List<TelemetrySpan>();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = resourceSpans.Resource is { } r ? Attributes(r.Attributes) : null;
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = scopeSpans.Scope?.Name;
                foreach (var span in scopeSpans.Spans)
                {
                    spans.Add(new TelemetrySpan
                    {
                        Name = span.Name,
                        TraceId = Hex(span.TraceId),
                        SpanId = Hex(span.SpanId),
                        ParentSpanId = span.ParentSpanId.IsEmpty ? null : Hex(span.ParentSpanId),
                        StartUnixNano = span.StartTimeUnixNano,
                        EndUnixNano = span.EndTimeUnixNano,
                        StatusError = span.Status?.Code == Status.Types.StatusCode.Error,
                        StatusMessage = span.Status is { Message.Length: > 0 } s ? s.Message : null,
                        ScopeName = scope,
                        Attributes = Attributes(span.Attributes),
                        Resource = resource ?? new Dictionary<string, object?>(StringComparer.Ordinal),
                    });
                }
            }
        }

        return spans;
    }

    private static Dictionary<string, object?> Attributes(IEnumerable<KeyValue> attributes)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var kv in attributes)
        {
            map[kv.Key] = Value(kv.Value);
        }

        return map;
    }

    private static object? Value(AnyValue? v) => v?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => v.StringValue,
        AnyValue.ValueOneofCase.IntValue => v.IntValue,
        AnyValue.ValueOneofCase.DoubleValue => v.DoubleValue,
        AnyValue.ValueOneofCase.BoolValue => v.BoolValue,
        AnyValue.ValueOneofCase.ArrayValue => v.ArrayValue.Values.Select(Value).ToArray(),
        _ => null, // maps and bytes carry nothing Claudit reads
    };

    private static string Hex(ByteString bytes) => bytes.IsEmpty ? "" : Convert.ToHexStringLower(bytes.Span);
}
