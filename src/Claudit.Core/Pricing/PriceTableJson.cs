using System.Globalization;
using System.Text.Json;

namespace Claudit.Core.Pricing;

/// <summary>Maps the price-table JSON (see docs/pricing.md) to <see cref="PriceTable"/>, with errors that say where.</summary>
internal static class PriceTableJson
{
    public static PriceTable Read(JsonElement root, string origin)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Error(origin, "$", "must be a JSON object");
        }

        var version = RequiredString(root, "version", origin, "$");
        if (!DateOnly.TryParseExact(version, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw Error(origin, "$.version", $"must be the table's effective date as yyyy-MM-dd, not '{version}'");
        }

        if (!root.TryGetProperty("models", out var modelsJson) || modelsJson.ValueKind != JsonValueKind.Array)
        {
            throw Error(origin, "$.models", "is required and must be an array");
        }

        var models = new List<ModelPrice>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        foreach (var m in modelsJson.EnumerateArray())
        {
            var path = $"$.models[{i++}]";
            var model = ReadModel(m, origin, path);
            foreach (var key in model.Aliases.Prepend(model.Id))
            {
                if (!seen.Add(key))
                {
                    throw Error(origin, path, $"model id or alias '{key}' appears twice");
                }
            }

            models.Add(model);
        }

        return new PriceTable(
            version,
            models,
            OptionalDecimal(root, "batch_multiplier", origin, "$") ?? 0.5m,
            OptionalDecimal(root, "web_search_usd_per_1000_requests", origin, "$") ?? 10m,
            OptionalDecimal(root, "web_fetch_usd_per_1000_requests", origin, "$") ?? 0m,
            root.TryGetProperty("currency", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "USD");
    }

    private static ModelPrice ReadModel(JsonElement m, string origin, string path)
    {
        if (m.ValueKind != JsonValueKind.Object)
        {
            throw Error(origin, path, "must be an object");
        }

        var aliases = new List<string>();
        if (m.TryGetProperty("aliases", out var a) && a.ValueKind == JsonValueKind.Array)
        {
            aliases.AddRange(a.EnumerateArray().Select(x => x.GetString() ?? throw Error(origin, path + ".aliases", "must hold strings")));
        }

        var tiers = new List<PriceTier>();
        if (m.TryGetProperty("tiers", out var t) && t.ValueKind == JsonValueKind.Array)
        {
            var j = 0;
            foreach (var tier in t.EnumerateArray())
            {
                var tierPath = $"{path}.tiers[{j++}]";
                var above = OptionalDecimal(tier, "above_total_input_tokens", origin, tierPath)
                    ?? throw Error(origin, tierPath, "needs above_total_input_tokens");
                tiers.Add(new PriceTier((long)above, ReadRates(tier, "rates", origin, tierPath)));
            }
        }

        var geo = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        if (m.TryGetProperty("inference_geo_multipliers", out var g) && g.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in g.EnumerateObject())
            {
                geo[p.Name] = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDecimal() : throw Error(origin, $"{path}.inference_geo_multipliers.{p.Name}", "must be a number");
            }
        }

        return new ModelPrice
        {
            Id = RequiredString(m, "id", origin, path),
            Aliases = aliases,
            Rates = ReadRates(m, "rates", origin, path),
            ContextWindow = OptionalDecimal(m, "context_window", origin, path) is { } cw ? (long)cw : null,
            Tiers = tiers.OrderBy(x => x.AboveTotalInputTokens).ToArray(),
            Fast = m.TryGetProperty("fast", out _) ? ReadRates(m, "fast", origin, path) : null,
            InferenceGeoMultipliers = geo,
        };
    }

    private static TokenRates ReadRates(JsonElement parent, string name, string origin, string path)
    {
        path = $"{path}.{name}";
        if (!parent.TryGetProperty(name, out var r) || r.ValueKind != JsonValueKind.Object)
        {
            throw Error(origin, path, "is required: an object with input, cache_write_5m, cache_write_1h, cache_read, output");
        }

        decimal Rate(string field) => OptionalDecimal(r, field, origin, path) is { } v && v >= 0
            ? v
            : throw Error(origin, $"{path}.{field}", "is required and must be a non-negative number (USD per million tokens)");

        return new TokenRates(Rate("input"), Rate("cache_write_5m"), Rate("cache_write_1h"), Rate("cache_read"), Rate("output"));
    }

    private static string RequiredString(JsonElement obj, string name, string origin, string path) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()!
            : throw Error(origin, $"{path}.{name}", "is required and must be a non-empty string");

    private static decimal? OptionalDecimal(JsonElement obj, string name, string origin, string path)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d) ? d : throw Error(origin, $"{path}.{name}", "must be a number");
    }

    private static PriceTableException Error(string origin, string path, string what) => new($"{origin}: {path} {what}");
}
