using System.Diagnostics.Metrics;
using Claudit.Core.Telemetry;

namespace Claudit.Server.Otlp;

/// <summary>
/// What the OTLP receiver did with the spans it was sent, for <c>/readyz</c> and for <c>/metrics</c>
/// (<c>claudit_otlp_spans_total{outcome}</c>: <c>recorded</c>, <c>not_genai</c>, <c>nested</c>, <c>rejected</c>).
/// </summary>
internal sealed class OtlpStats : IDisposable
{
    private readonly Meter _meter = new(CallTelemetry.MeterName);
    private readonly Counter<long> _spans;
    private long _received, _recorded, _notGenAi, _nested, _rejected, _badRequests;

    public OtlpStats()
    {
        _spans = _meter.CreateCounter<long>("claudit_otlp_spans", description: "Spans the OTLP receiver was sent, by what became of them");
    }

    public long Received => Interlocked.Read(ref _received);

    public long Recorded => Interlocked.Read(ref _recorded);

    public long NotGenAi => Interlocked.Read(ref _notGenAi);

    public long Nested => Interlocked.Read(ref _nested);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Requests refused whole: not OTLP, too large, an unsupported encoding.</summary>
    public long BadRequests => Interlocked.Read(ref _badRequests);

    public void Add(long received, long recorded, long notGenAi, long nested, long rejected)
    {
        Interlocked.Add(ref _received, received);
        Add(ref _recorded, recorded, "recorded");
        Add(ref _notGenAi, notGenAi, "not_genai");
        Add(ref _nested, nested, "nested");
        Add(ref _rejected, rejected, "rejected");
    }

    public void BadRequest() => Interlocked.Increment(ref _badRequests);

    public OtlpReadiness Snapshot() => new(Received, Recorded, NotGenAi, Nested, Rejected, BadRequests);

    private void Add(ref long total, long count, string outcome)
    {
        if (count == 0)
        {
            return;
        }

        Interlocked.Add(ref total, count);
        if (_spans.Enabled)
        {
            _spans.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>The receiver's counters as <c>/readyz</c> shows them.</summary>
internal sealed record OtlpReadiness(long Spans, long Recorded, long NotGenai, long Nested, long Rejected, long BadRequests);
