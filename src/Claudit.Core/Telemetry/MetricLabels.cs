using System.Collections.Concurrent;
using System.Collections.Frozen;
using Claudit.Core.Pricing;

namespace Claudit.Core.Telemetry;

/// <summary>
/// The values metric labels may take, each a bounded set whatever a caller or an upstream sends, because
/// every distinct value is a time series kept for the life of the process: a model is the price table's
/// id for it (<c>claude-sonnet-4-5-20250929</c> → <c>claude-sonnet-4-5</c>) or <see cref="Other"/>; a stop
/// reason is one the API documents or <see cref="Other"/>. Spans and records keep the values as sent.
/// </summary>
internal sealed class MetricLabels(PriceTable prices)
{
    /// <summary>The label of a model the price table does not know, or of no model.</summary>
    public const string Other = "other";

    /// <summary>The label of a call without a stop reason (an error, a cut stream).</summary>
    public const string NoStopReason = "none";

    /// <summary>Models looked up so far, up to this many (a flood of made-up names must not grow memory).</summary>
    private const int MaxCachedModels = 1024;

    /// <summary>Anthropic's documented stop reasons (shared/reference/anthropic-api.md).</summary>
    private static readonly FrozenSet<string> s_stopReasons = FrozenSet.Create(StringComparer.Ordinal,
        "end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal", "model_context_window_exceeded");

    private readonly ConcurrentDictionary<string, string> _models = new(StringComparer.Ordinal);

    /// <summary>The model's price-table id, else <see cref="Other"/>.</summary>
    public string Model(string? modelId)
    {
        if (modelId is null)
        {
            return Other;
        }

        if (_models.TryGetValue(modelId, out var label))
        {
            return label;
        }

        label = prices.FindModel(modelId)?.Id ?? Other;
        if (_models.Count < MaxCachedModels)
        {
            _models.TryAdd(modelId, label);
        }

        return label;
    }

    public static string StopReason(string? stopReason) =>
        stopReason is null ? NoStopReason : s_stopReasons.Contains(stopReason) ? stopReason : Other;
}
