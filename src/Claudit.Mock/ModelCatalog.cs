using System.Globalization;
using System.Text.RegularExpressions;
using Claudit.Core.Pricing;

namespace Claudit.Mock;

/// <summary>One model as <c>GET /v1/models</c> lists it.</summary>
internal sealed record CatalogModel(string Id, string DisplayName, DateTimeOffset CreatedAt, long MaxInputTokens, ModelPrice Price);

/// <summary>
/// The Models API's view of Claudit's price table: one entry per priced model, named by its dated snapshot id
/// when the table has one (<c>claude-sonnet-4-5</c> → <c>claude-sonnet-4-5-20250929</c>, as the API resolves
/// aliases), newest first (docs/reference/anthropic-batches-and-models.md §2).
/// </summary>
internal static partial class ModelCatalog
{
    /// <summary>Release dates the reference states for models whose id carries no date (its example: Opus 4.6).</summary>
    private static readonly Dictionary<string, DateTimeOffset> KnownReleases = new(StringComparer.Ordinal)
    {
        ["claude-opus-4-6"] = new DateTimeOffset(2026, 2, 4, 0, 0, 0, TimeSpan.Zero),
    };

    private static readonly Lazy<IReadOnlyList<CatalogModel>> s_models = new(Build);

    /// <summary>Newest first, as the API lists them.</summary>
    public static IReadOnlyList<CatalogModel> All => s_models.Value;

    /// <summary>The model an exact id or alias names (<c>GET /v1/models/{id}</c> does not guess), or null.</summary>
    public static CatalogModel? Resolve(string idOrAlias) =>
        All.FirstOrDefault(m => m.Id == idOrAlias || m.Price.Id == idOrAlias || m.Price.Aliases.Contains(idOrAlias, StringComparer.Ordinal));

    /// <summary>
    /// The id the usage report names a call's model by: the one the Models API resolves it to, so a reconciler
    /// can map an alias with <c>GET /v1/models/{alias}</c>. Unknown models (which the mock refuses anyway) stay as sent.
    /// </summary>
    public static string CanonicalId(string model) =>
        MockModels.Find(model) is { } price && All.FirstOrDefault(m => ReferenceEquals(m.Price, price)) is { } entry ? entry.Id : model;

    private static List<CatalogModel> Build()
    {
        var table = PriceTable.Default.Models;
        var entries = table.Select((price, order) =>
        {
            var snapshot = price.Aliases.FirstOrDefault(a => DatedSuffix().IsMatch(a));
            var created = snapshot is null
                ? KnownReleases.GetValueOrDefault(price.Id, DateTimeOffset.UnixEpoch) // "may be set to an epoch value if the release date is unknown"
                : DateTimeOffset.ParseExact(DatedSuffix().Match(snapshot).Groups[1].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            return (Order: order, Dated: snapshot is not null,
                Model: new CatalogModel(snapshot ?? price.Id, DisplayName(price.Id), created, MockModels.ContextWindow(price), price));
        });

        // Anthropic stopped dating model ids with the 4.6 generation, so the undated ids are the newest: first, in
        // the table's order; dated snapshots follow by date. (An inference: most undated models have no known date.)
        return entries
            .OrderBy(e => e.Dated)
            .ThenByDescending(e => e.Dated ? e.Model.CreatedAt : DateTimeOffset.MinValue)
            .ThenBy(e => e.Order)
            .Select(e => e.Model)
            .ToList();
    }

    /// <summary><c>claude-sonnet-4-5</c> → "Claude Sonnet 4.5", <c>claude-3-7-sonnet</c> → "Claude Sonnet 3.7", <c>claude-opus-4-0</c> → "Claude Opus 4".</summary>
    internal static string DisplayName(string id)
    {
        var parts = id.Split('-', StringSplitOptions.RemoveEmptyEntries).Skip(id.StartsWith("claude-", StringComparison.Ordinal) ? 1 : 0).ToArray();
        var family = string.Join(' ', parts.Where(p => !p.All(char.IsAsciiDigit)).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        var version = string.Join('.', parts.Where(p => p.All(char.IsAsciiDigit)));
        if (version.EndsWith(".0", StringComparison.Ordinal))
        {
            version = version[..^2];
        }

        return string.Join(' ', new[] { "Claude", family, version }.Where(s => s.Length > 0));
    }

    [GeneratedRegex(@"-(\d{8})$")]
    private static partial Regex DatedSuffix();
}
