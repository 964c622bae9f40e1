using System.Globalization;
using Claudit.Core.Pricing;

namespace Claudit.Mock;

/// <summary>
/// One cost line item, as the cost reports itemise spend: a token class of one model, tier, context window and
/// geo (<c>cost_type: tokens</c>), or web searches (<c>cost_type: web_search</c>, no model). Amounts are USD as Core's
/// <see cref="CostCalculator"/> priced the calls; the reports write cents.
/// </summary>
internal readonly record struct CostLine(string CostType, string? TokenType, string? Model, string? ServiceTier, string? ContextWindow, string? InferenceGeo, decimal Usd)
{
    /// <summary>Token types in the order the reports list them.</summary>
    public static readonly string[] TokenTypes =
    [
        "uncached_input_tokens", "cache_creation.ephemeral_5m_input_tokens", "cache_creation.ephemeral_1h_input_tokens",
        "cache_read_input_tokens", "output_tokens",
    ];

    /// <summary>Priority Tier is billed separately and is not in the cost report (reference §3.3): only standard and batch are.</summary>
    public static bool Billed(string serviceTier) => serviceTier is "standard" or "batch";

    /// <summary>The line items of one ledger cell; classes with no tokens give none.</summary>
    public static IEnumerable<CostLine> Of(UsageKey key, UsageAmounts a)
    {
        (long Count, decimal Usd)[] classes =
            [(a.UncachedInput, a.InputUsd), (a.CacheWrite5m, a.CacheWrite5mUsd), (a.CacheWrite1h, a.CacheWrite1hUsd), (a.CacheRead, a.CacheReadUsd), (a.Output, a.OutputUsd)];
        for (var i = 0; i < classes.Length; i++)
        {
            if (classes[i].Count > 0)
            {
                yield return new CostLine("tokens", TokenTypes[i], key.Model, key.ServiceTier, key.ContextWindow, key.InferenceGeo, classes[i].Usd);
            }
        }

        if (a.WebSearches > 0)
        {
            yield return new CostLine("web_search", null, null, null, null, null, a.WebSearchUsd);
        }
    }

    /// <summary>Where the line sorts: model, tier, window, geo, then token class; web search last.</summary>
    public string SortKey => CostType == "web_search"
        ? "\u00ff"
        : ReportParams.GroupKey([Model, ServiceTier, ContextWindow, InferenceGeo, Array.IndexOf(TokenTypes, TokenType).ToString(CultureInfo.InvariantCulture)]);

    public string Describe(CostReportFormat format)
    {
        if (CostType == "web_search")
        {
            return "Web Search Usage";
        }

        var model = ModelCatalog.Resolve(Model!)?.DisplayName ?? Model!;
        if (ContextWindow == "200k-1M")
        {
            model = format.LongContextModel.Replace("{model}", model, StringComparison.Ordinal);
        }

        var token = TokenType switch
        {
            "uncached_input_tokens" => "Input Tokens",
            "output_tokens" => "Output Tokens",
            "cache_read_input_tokens" => "Input Tokens, Cache Hit",
            "cache_creation.ephemeral_5m_input_tokens" => "Input Tokens, Cache Write",
            _ => format.CacheWrite1hToken,
        };
        return (ServiceTier == "batch" ? format.BatchUsage : format.Usage)
            .Replace("{model}", model, StringComparison.Ordinal).Replace("{token}", token, StringComparison.Ordinal);
    }

    /// <summary>USD as the reports' <c>amount</c>: a decimal string in cents, fractional cents kept.</summary>
    public static string Cents(decimal usd, CostReportFormat format)
    {
        var cents = usd * 100m;
        return format.AmountDecimals is { } decimals
            ? cents.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            : Money.Trim(cents).ToString(CultureInfo.InvariantCulture);
    }
}
