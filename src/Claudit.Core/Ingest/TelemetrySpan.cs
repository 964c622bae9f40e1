namespace Claudit.Core.Ingest;

/// <summary>
/// One span as an OpenTelemetry exporter sent it, in the neutral form Claudit reads GenAI calls from:
/// what OTLP/protobuf and OTLP/JSON decode to. Attribute values are <see cref="string"/>, <see cref="long"/>,
/// <see cref="double"/>, <see cref="bool"/> or <c>object?[]</c> (arrays); maps and bytes are left out.
/// </summary>
internal sealed class TelemetrySpan
{
    public string Name { get; init; } = "";

    /// <summary>32 lowercase hex characters (empty when the span had none).</summary>
    public string TraceId { get; init; } = "";

    /// <summary>16 lowercase hex characters.</summary>
    public string SpanId { get; init; } = "";

    public string? ParentSpanId { get; init; }

    public ulong StartUnixNano { get; init; }

    public ulong EndUnixNano { get; init; }

    /// <summary>The span's status is ERROR.</summary>
    public bool StatusError { get; init; }

    public string? StatusMessage { get; init; }

    /// <summary>The instrumentation scope that made it (e.g. <c>@traceloop/instrumentation-anthropic</c>): it tells the dialect.</summary>
    public string? ScopeName { get; init; }

    public IReadOnlyDictionary<string, object?> Attributes { get; init; } = Empty;

    /// <summary>The resource's attributes (<c>service.name</c>, …), shared by the spans of one resource.</summary>
    public IReadOnlyDictionary<string, object?> Resource { get; init; } = Empty;

    private static readonly Dictionary<string, object?> Empty = new(StringComparer.Ordinal);
}
