using System.Diagnostics;
using System.Diagnostics.Metrics;
using Claudit.Core.Pricing;
using Claudit.Core.Records;

namespace Claudit.Core.Telemetry;

/// <summary>
/// The span and metrics of a finished call, through <see cref="ClauditTracing"/> and
/// <see cref="ClauditMetrics"/>. Nothing is built unless someone listens to Claudit's source or meter,
/// so telemetry is switched on in one way only: by listening (<c>AddClauditInstrumentation()</c>, or
/// the gateway's own exporters). When the call already has a live span of its own (the official SDK's
/// <c>com.anthropic.sdk.csharp</c> span), Claudit writes its attributes onto that span rather than
/// starting a second span for the same call.
/// </summary>
/// <param name="meters">Where the meter comes from (DI), else a meter of its own.</param>
/// <param name="prices">The price table whose model ids are the metrics' model labels (any other model is <c>other</c>); the embedded one when null.</param>
public sealed class CallTelemetry(IMeterFactory? meters = null, PriceTable? prices = null) : IDisposable
{
    /// <summary>The meter Claudit's metrics are on (<c>claude_*</c> and the GenAI instruments).</summary>
    public const string MeterName = ClauditMetrics.MeterName;

    private readonly ClauditMetrics _metrics = new(meters, prices);

    /// <summary>The call's metrics and its span (onto <paramref name="liveSpan"/> when it is still recording).</summary>
    public void Record(CallRecord record, Activity? liveSpan = null, string? serverAddress = null, int? serverPort = null)
    {
        _metrics.Record(record);
        if (!ClauditTracing.Source.HasListeners())
        {
            return;
        }

        if (liveSpan is { IsStopped: false, IsAllDataRequested: true })
        {
            ClauditTracing.SetAttributes(liveSpan, record);
            return;
        }

        ClauditTracing.EmitSpan(record, serverAddress, serverPort);
    }

    /// <summary>Metrics only: for records whose span was emitted where they were captured (ingested records).</summary>
    public void RecordMetrics(CallRecord record) => _metrics.Record(record);

    public void Dispose() => _metrics.Dispose();
}
