namespace Claudit.Server.Otlp;

/// <summary>
/// One call, two GenAI spans: a wrapper's (M.E.AI's chat client, an OpenLLMetry or OpenInference span) around
/// the SDK's own. The innermost span stands for the call (it saw the API's answer); a GenAI span that is the
/// parent of another is a wrapper and is dropped. Within one export request both orders are caught; across
/// requests, a wrapper arriving after its child is (the span ids of recorded spans' parents are remembered,
/// the last <see cref="Capacity"/> of them), but a wrapper sent before its child is not: exporters send a child
/// first, as it ends first.
/// </summary>
internal sealed class NestedSpans
{
    public const int Capacity = 100_000;

    private readonly HashSet<string> _parents = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _gate = new();

    /// <summary>Whether a recorded GenAI span named this span as its parent.</summary>
    public bool IsParentOfRecorded(string traceId, string spanId)
    {
        lock (_gate)
        {
            return _parents.Contains(traceId + spanId);
        }
    }

    public void RememberParent(string traceId, string? parentSpanId)
    {
        if (parentSpanId is null)
        {
            return;
        }

        lock (_gate)
        {
            if (!_parents.Add(traceId + parentSpanId))
            {
                return;
            }

            _order.Enqueue(traceId + parentSpanId);
            if (_order.Count > Capacity)
            {
                _parents.Remove(_order.Dequeue());
            }
        }
    }
}
