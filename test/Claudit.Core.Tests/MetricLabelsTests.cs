using Claudit.Core.Pricing;
using Claudit.Core.Telemetry;

namespace Claudit.Core.Tests;

/// <summary>Metric label values come from bounded sets: the price table's model ids and the documented stop reasons, else <c>other</c>.</summary>
public class MetricLabelsTests
{
    private readonly MetricLabels _labels = new(PriceTable.Default);

    [Theory]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("claude-sonnet-4-5", "claude-sonnet-4-5")]
    [InlineData("anthropic.claude-haiku-4-5-20251001-v1:0", "claude-haiku-4-5")]
    [InlineData("claude-opus-4-9", "other")]
    [InlineData("made-up-model-17", "other")]
    [InlineData(null, "other")]
    public void A_model_is_its_price_table_id_or_other(string? model, string label) =>
        Assert.Equal(label, _labels.Model(model));

    [Fact]
    public void Ten_thousand_made_up_models_are_one_label()
    {
        var labels = Enumerable.Range(0, 10_000).Select(i => _labels.Model($"made-up-{i}")).Distinct().ToArray();

        Assert.Equal(["other"], labels);
    }

    [Theory]
    [InlineData("end_turn", "end_turn")]
    [InlineData("model_context_window_exceeded", "model_context_window_exceeded")]
    [InlineData(null, "none")]
    [InlineData("made_up_reason", "other")]
    public void A_stop_reason_is_a_documented_one_or_other(string? stopReason, string label) =>
        Assert.Equal(label, MetricLabels.StopReason(stopReason));
}
