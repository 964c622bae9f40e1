using Claudit.Core.Pricing;

namespace Claudit.Mock;

/// <summary>
/// The models the mock answers for: every model (and alias) of Claudit's price table, with its
/// context window. Anything else is a 404, as the real API answers.
/// </summary>
internal static class MockModels
{
    public static ModelPrice? Find(string model) => PriceTable.Default.FindModel(model);

    public static long ContextWindow(ModelPrice model) => model.ContextWindow ?? 200_000;

    /// <summary>The API does not cache prompts shorter than this (Haiku models need twice as much).</summary>
    public static long MinimumCacheableTokens(string model) => model.Contains("haiku", StringComparison.OrdinalIgnoreCase) ? 2048 : 1024;

    /// <summary>Time to first token and output speed for a model family: Haiku fastest, Opus slowest.</summary>
    public static (TimeSpan Ttft, double TokensPerSecond) Pace(string model) =>
        model.Contains("haiku", StringComparison.OrdinalIgnoreCase) ? (TimeSpan.FromMilliseconds(350), 150)
        : model.Contains("sonnet", StringComparison.OrdinalIgnoreCase) ? (TimeSpan.FromMilliseconds(700), 80)
        : (TimeSpan.FromMilliseconds(1300), 45);
}
