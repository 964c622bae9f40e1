namespace Claudit.Core.Pricing;

/// <summary>
/// Finds the price entry for a model id by longest prefix on a boundary, so that
/// <c>claude-opus-4-5-20251101</c> matches <c>claude-opus-4-5</c>, a dated snapshot matches its
/// family, and an unknown <c>claude-opus-4-9</c> matches nothing (it is never priced as a neighbour).
/// Cloud ids are normalised first: <c>anthropic.claude-…-v1:0</c> (Bedrock), <c>claude-…@2025…</c> (Vertex).
/// </summary>
internal sealed class ModelIdMatcher
{
    private readonly (string Key, ModelPrice Price)[] _keysLongestFirst;

    public ModelIdMatcher(IEnumerable<ModelPrice> models)
    {
        _keysLongestFirst = models
            .SelectMany(m => m.Aliases.Prepend(m.Id).Select(k => (Key: k.ToLowerInvariant(), Price: m)))
            .OrderByDescending(k => k.Key.Length)
            .ToArray();
    }

    public ModelPrice? Match(string modelId)
    {
        var id = Normalise(modelId);
        foreach (var (key, price) in _keysLongestFirst)
        {
            if (id.StartsWith(key, StringComparison.Ordinal) && (id.Length == key.Length || IsBoundary(id[key.Length])))
            {
                return price;
            }
        }

        return null;
    }

    private static bool IsBoundary(char c) => c is '-' or '@' or ':';

    internal static string Normalise(string modelId)
    {
        var id = modelId.Trim().ToLowerInvariant();
        var at = id.IndexOf("claude-", StringComparison.Ordinal);
        if (at > 0 && id[at - 1] is '.' or '/')
        {
            id = id[at..];
        }

        return id;
    }
}
