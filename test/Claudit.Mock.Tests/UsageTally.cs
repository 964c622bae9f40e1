using System.Globalization;
using System.Text.Json;
using Claudit.Core.Records;

namespace Claudit.Mock.Tests;

/// <summary>Token classes summed: what a usage report result holds, or what the mock's answers said.</summary>
public readonly record struct TokenSums(long Uncached, long CacheWrite5m, long CacheWrite1h, long CacheRead, long Output, long WebSearches)
{
    public static TokenSums Of(TokenUsage u) =>
        new(u.InputTokens, u.EffectiveCacheWrite5m, u.EffectiveCacheWrite1h, u.CacheReadInputTokens, u.OutputTokens, u.WebSearchRequests);

    public static TokenSums OfUsage(JsonElement usage) => new(
        usage.GetProperty("input_tokens").GetInt64(),
        usage.GetProperty("cache_creation").GetProperty("ephemeral_5m_input_tokens").GetInt64(),
        usage.GetProperty("cache_creation").GetProperty("ephemeral_1h_input_tokens").GetInt64(),
        usage.GetProperty("cache_read_input_tokens").GetInt64(),
        usage.GetProperty("output_tokens").GetInt64(),
        usage.TryGetProperty("server_tool_use", out var s) ? s.GetProperty("web_search_requests").GetInt64() : 0);

    /// <summary>A usage report result (legacy shape) or an analytics row's <c>usage</c>.</summary>
    public static TokenSums OfResult(JsonElement r) => new(
        r.GetProperty("uncached_input_tokens").GetInt64(),
        r.GetProperty("cache_creation").GetProperty("ephemeral_5m_input_tokens").GetInt64(),
        r.GetProperty("cache_creation").GetProperty("ephemeral_1h_input_tokens").GetInt64(),
        r.GetProperty("cache_read_input_tokens").GetInt64(),
        r.GetProperty("output_tokens").GetInt64(),
        r.GetProperty("server_tool_use").GetProperty("web_search_requests").GetInt64());

    public static TokenSums operator +(TokenSums a, TokenSums b) => new(a.Uncached + b.Uncached, a.CacheWrite5m + b.CacheWrite5m,
        a.CacheWrite1h + b.CacheWrite1h, a.CacheRead + b.CacheRead, a.Output + b.Output, a.WebSearches + b.WebSearches);
}

/// <summary>Sums keyed by whatever a test groups by (e.g. model|tier, or bucket|model|tier).</summary>
public sealed class UsageTally
{
    private readonly Dictionary<string, TokenSums> _sums = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, TokenSums> Sums => _sums;

    public void Add(string key, TokenSums sums) => _sums[key] = _sums.TryGetValue(key, out var s) ? s + sums : sums;

    public static string Key(params string?[] parts) => string.Join("|", parts.Select(p => p ?? "null"));

    /// <summary>Every result of every bucket of every page, tallied by <paramref name="key"/> (which sees the result and its bucket).</summary>
    public static UsageTally OfReport(IEnumerable<JsonElement> buckets, Func<JsonElement, JsonElement, string> key)
    {
        var tally = new UsageTally();
        foreach (var bucket in buckets)
        {
            foreach (var result in bucket.GetProperty("results").EnumerateArray())
            {
                tally.Add(key(bucket, result), TokenSums.OfResult(result));
            }
        }

        return tally;
    }

    public static string? Str(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetString();

    public static DateTimeOffset Time(JsonElement e, string name) => DateTimeOffset.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}
