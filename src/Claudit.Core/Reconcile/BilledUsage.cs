namespace Claudit.Core.Reconcile;

/// <summary>
/// Anthropic's side of a reconciliation, built from the two legacy Admin reports. The usage report gives the
/// counts per bucket; the cost report is daily only and cannot be grouped by model, but its line items
/// (<c>group_by[]=description</c>) carry model, tier, context window, geo and token type, and each such line has
/// one rate. So each usage result's cost is its share of its day's line for the same model, tier, window, geo
/// and token class (the whole line when buckets are days), and web search (one daily line, no model) is shared
/// by web searches. A line with no usage to share it (cost arrived before usage) is kept on the day's first
/// bucket with no tokens, so no billed money is dropped.
/// <para>
/// Only <c>standard</c> and <c>batch</c> usage is in the cost report (reference §3.3): other tiers (priority,
/// flex) get no billed cost, and their rows are compared on counts alone. Code execution and Managed Agents
/// session lines have no model or token counts and are left out.
/// </para>
/// </summary>
public static class BilledUsage
{
    private static readonly string[] TokenTypes =
    [
        "uncached_input_tokens", "cache_creation.ephemeral_5m_input_tokens", "cache_creation.ephemeral_1h_input_tokens",
        "cache_read_input_tokens", "output_tokens",
    ];

    /// <summary>Whether the cost report bills a tier: standard and batch only.</summary>
    public static bool HasCost(string serviceTier) => serviceTier is ReconcileKey.StandardTier or "batch";

    public static IReadOnlyList<ReconcileCell> Combine(IEnumerable<BilledUsageResult> usage, IEnumerable<BilledCostLine> costs, ReconcileWidth width)
    {
        var results = usage.ToList();
        var dayTokens = new Dictionary<(DateTimeOffset, string, string, string?, string?, int), long>();
        var daySearches = new Dictionary<DateTimeOffset, long>();
        foreach (var r in results)
        {
            var day = ReconcileBuckets.Floor(r.Bucket, ReconcileWidth.Day);
            var counts = r.Usage.Counts;
            for (var t = 0; t < TokenTypes.Length; t++)
            {
                var key = (day, r.Model, r.ServiceTier, r.ContextWindow, r.InferenceGeo, t);
                dayTokens[key] = dayTokens.GetValueOrDefault(key) + counts[t];
            }

            daySearches[day] = daySearches.GetValueOrDefault(day) + r.Usage.WebSearchRequests;
        }

        var lineCost = new Dictionary<(DateTimeOffset, string, string, string?, string?, int), decimal>();
        var webCost = new Dictionary<DateTimeOffset, decimal>();
        foreach (var line in costs)
        {
            var day = ReconcileBuckets.Floor(line.Day, ReconcileWidth.Day);
            if (line.CostType == "web_search")
            {
                webCost[day] = webCost.GetValueOrDefault(day) + line.AmountUsd;
            }
            else if (line.CostType == "tokens" && line.Model is not null && Array.IndexOf(TokenTypes, line.TokenType) is var t and >= 0)
            {
                var key = (day, line.Model, line.ServiceTier ?? ReconcileKey.StandardTier, line.ContextWindow, line.InferenceGeo, t);
                lineCost[key] = lineCost.GetValueOrDefault(key) + line.AmountUsd;
            }
        }

        var cells = new List<ReconcileCell>(results.Count);
        var shared = new HashSet<(DateTimeOffset, string, string, string?, string?, int)>();
        foreach (var r in results)
        {
            var day = ReconcileBuckets.Floor(r.Bucket, ReconcileWidth.Day);
            var counts = r.Usage.Counts;
            var cost = 0m;
            for (var t = 0; t < TokenTypes.Length; t++)
            {
                var key = (day, r.Model, r.ServiceTier, r.ContextWindow, r.InferenceGeo, t);
                if (counts[t] > 0 && lineCost.TryGetValue(key, out var amount))
                {
                    cost += Share(amount, counts[t], dayTokens[key]);
                    shared.Add(key);
                }
            }

            if (r.Usage.WebSearchRequests > 0 && webCost.TryGetValue(day, out var web))
            {
                cost += Share(web, r.Usage.WebSearchRequests, daySearches[day]);
            }

            var bucket = ReconcileBuckets.Floor(r.Bucket, width);
            cells.Add(new ReconcileCell(new ReconcileKey(bucket, r.Model, r.ServiceTier), r.Usage with { CostUsd = HasCost(r.ServiceTier) ? cost : null }));
        }

        foreach (var (key, amount) in lineCost)
        {
            if (!shared.Contains(key))
            {
                cells.Add(new ReconcileCell(new ReconcileKey(key.Item1, key.Item2, key.Item3), ReconcileAmounts.Zero with { CostUsd = amount }));
            }
        }

        foreach (var (day, amount) in webCost)
        {
            if (daySearches.GetValueOrDefault(day) == 0)
            {
                cells.Add(new ReconcileCell(new ReconcileKey(day, "(web search)", ReconcileKey.StandardTier), ReconcileAmounts.Zero with { CostUsd = amount }));
            }
        }

        return cells;
    }

    /// <summary><paramref name="amount"/> × part / whole, exact when the part is the whole.</summary>
    private static decimal Share(decimal amount, long part, long whole) => part == whole ? amount : amount * part / whole;
}
