using System.Text.Json;

namespace Claudit.Core.Pricing;

/// <summary>
/// A dated price table. The default is embedded from <c>pricing/prices.json</c>; a replacement file
/// can be loaded at run time (no rebuild) with <see cref="Parse(ReadOnlySpan{byte}, string)"/>.
/// </summary>
public sealed class PriceTable
{
    private static readonly Lazy<PriceTable> s_default = new(LoadEmbedded);
    private readonly ModelIdMatcher _matcher;

    public PriceTable(string version, IReadOnlyList<ModelPrice> models, decimal batchMultiplier = 0.5m,
        decimal webSearchUsdPer1000 = 10m, decimal webFetchUsdPer1000 = 0m, string currency = "USD")
    {
        if (string.IsNullOrWhiteSpace(version))
        {
            throw new PriceTableException("The price table has no version (its effective date).");
        }

        Version = version;
        Models = models;
        BatchMultiplier = batchMultiplier;
        WebSearchUsdPer1000 = webSearchUsdPer1000;
        WebFetchUsdPer1000 = webFetchUsdPer1000;
        Currency = currency;
        _matcher = new ModelIdMatcher(models);
    }

    /// <summary>The table's effective date, recorded with every cost computed from it.</summary>
    public string Version { get; }

    public string Currency { get; }

    public IReadOnlyList<ModelPrice> Models { get; }

    public decimal BatchMultiplier { get; }

    public decimal WebSearchUsdPer1000 { get; }

    public decimal WebFetchUsdPer1000 { get; }

    /// <summary>The table shipped with this build.</summary>
    public static PriceTable Default => s_default.Value;

    /// <summary>The entry for a model id (alias, snapshot or cloud id), or null when the model is unknown.</summary>
    public ModelPrice? FindModel(string? modelId) => string.IsNullOrWhiteSpace(modelId) ? null : _matcher.Match(modelId);

    public static PriceTable Parse(string json, string origin) => Parse(System.Text.Encoding.UTF8.GetBytes(json), origin);

    /// <summary>Reads a price table; <paramref name="origin"/> names it in error messages (e.g. a file path).</summary>
    public static PriceTable Parse(ReadOnlySpan<byte> utf8Json, string origin)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            using var doc = JsonDocument.ParseValue(ref reader);
            return PriceTableJson.Read(doc.RootElement, origin);
        }
        catch (JsonException ex)
        {
            throw new PriceTableException($"{origin}: not valid JSON ({ex.Message})", ex);
        }
    }

    private static PriceTable LoadEmbedded()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream("Claudit.Core.Pricing.prices.json")
            ?? throw new PriceTableException("The embedded price table is missing from the build.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray(), "embedded prices.json");
    }
}
