using Claudit.Core.Pricing;
using Claudit.Core.Records;

namespace Claudit.Mock;

/// <summary>One ledger cell: a minute, a combination of dimensions, and what was used in it.</summary>
internal readonly record struct UsageEntry(DateTimeOffset Minute, UsageKey Key, UsageAmounts Amounts);

/// <summary>
/// Everything the mock billed, by minute × <see cref="UsageKey"/>: every complete Messages answer, and every
/// succeeded batch request at the time it was processed. The Admin usage and cost reports are computed from it,
/// so a test knows their truth. Bounded: past <see cref="MockOptions.MaxUsageCells"/> cells the oldest minutes go.
/// </summary>
internal sealed class UsageLedger(int capacity)
{
    /// <summary>The API splits the context window at 200k total input tokens (input + cache writes + cache reads).</summary>
    private const long LongContextThreshold = 200_000;

    private readonly SortedDictionary<DateTimeOffset, Dictionary<UsageKey, UsageAmounts>> _minutes = [];
    private readonly Lock _gate = new();
    private int _cells;

    public int Cells
    {
        get
        {
            lock (_gate)
            {
                return _cells;
            }
        }
    }

    /// <summary>Adds one answered call at <paramref name="at"/>, priced by Core's <see cref="CostCalculator"/>.</summary>
    public void Record(DateTimeOffset at, MockCaller caller, MockRequest request, MessagePlan plan)
    {
        var price = MockModels.Find(request.Model);
        var totalInput = plan.InputTokens + plan.CacheWrite + plan.CacheRead;
        var key = new UsageKey(
            Model: ModelCatalog.CanonicalId(request.Model),
            ServiceTier: plan.ServiceTier,
            ApiKeyId: caller.ApiKeyId,
            WorkspaceId: caller.WorkspaceId,
            // Which tokens decide the tier is unconfirmed (reference §5); total input is how long-context pricing counts.
            ContextWindow: totalInput > LongContextThreshold ? "200k-1M" : "0-200k",
            // The request's geo, else the (default) workspace's "global"; models without geo support say not_available.
            InferenceGeo: price is { InferenceGeoMultipliers.Count: > 0 } ? plan.InferenceGeo ?? "global" : "not_available",
            AccountId: caller.AccountId,
            Speed: request.Speed == "fast" ? "fast" : "standard");

        var usage = new TokenUsage
        {
            InputTokens = plan.InputTokens,
            CacheCreationInputTokens = plan.CacheWrite,
            CacheCreation5mInputTokens = plan.CacheWrite5m,
            CacheCreation1hInputTokens = plan.CacheWrite1h,
            CacheReadInputTokens = plan.CacheRead,
            OutputTokens = plan.OutputTokens,
            WebSearchRequests = plan.WebSearchRequests,
            ServiceTier = plan.ServiceTier,
            InferenceGeo = plan.InferenceGeo,
            Speed = request.Speed,
        };
        CostCalculator.Default.TryCompute(request.Model, usage, out var cost, out _);
        var amounts = new UsageAmounts(plan.InputTokens, plan.CacheWrite5m, plan.CacheWrite1h, plan.CacheRead, plan.OutputTokens, plan.WebSearchRequests, 1,
            cost.Input, cost.CacheWrite5m, cost.CacheWrite1h, cost.CacheRead, cost.Output, cost.WebSearch);

        var minute = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        lock (_gate)
        {
            if (!_minutes.TryGetValue(minute, out var cells))
            {
                _minutes[minute] = cells = [];
            }

            if (cells.TryGetValue(key, out var sum))
            {
                cells[key] = sum + amounts;
                return;
            }

            cells[key] = amounts;
            _cells++;
            while (_cells > capacity && _minutes.Count > 1)
            {
                var oldest = _minutes.First();
                _cells -= oldest.Value.Count;
                _minutes.Remove(oldest.Key);
            }
        }
    }

    /// <summary>The cells of minutes in [<paramref name="start"/>, <paramref name="end"/>), oldest first.</summary>
    public List<UsageEntry> Between(DateTimeOffset start, DateTimeOffset end)
    {
        var found = new List<UsageEntry>();
        lock (_gate)
        {
            foreach (var (minute, cells) in _minutes)
            {
                if (minute >= end)
                {
                    break;
                }

                if (minute >= start)
                {
                    found.AddRange(cells.Select(c => new UsageEntry(minute, c.Key, c.Value)));
                }
            }
        }

        return found;
    }
}
