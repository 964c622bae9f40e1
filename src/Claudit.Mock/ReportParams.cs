using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Claudit.Mock;

/// <summary>The query parameters the Admin usage and cost reports share: times, limits, <c>group_by[]</c>, filters, page cursors.</summary>
internal static partial class ReportParams
{
    /// <summary>An RFC 3339 time with its zone (<c>Z</c> or an offset), in UTC; required or not.</summary>
    public static MockError? Time(IQueryCollection query, string name, bool required, out DateTimeOffset? value)
    {
        value = null;
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return required ? MockHttp.Invalid($"{name}: Field required") : null;
        }

        if (!WithZone().IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return MockHttp.Invalid($"{name}: Input should be a valid RFC 3339 datetime with a time zone, not '{text}'");
        }

        value = parsed.ToUniversalTime();
        return null;
    }

    public static MockError? Limit(IQueryCollection query, int defaultLimit, int max, out int limit)
    {
        limit = defaultLimit;
        if (!query.TryGetValue("limit", out var raw))
        {
            return null;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= max
            ? null
            : MockHttp.Invalid(string.Create(CultureInfo.InvariantCulture, $"limit: Input should be between 1 and {max}"));
    }

    /// <summary><c>group_by[]</c>: each value one of <paramref name="dimensions"/>; the result keeps <paramref name="dimensions"/>' order.</summary>
    public static MockError? GroupBy(IQueryCollection query, IReadOnlyList<string> dimensions, out List<string> groupBy)
    {
        var asked = MockHttp.Values(query, "group_by");
        groupBy = [.. dimensions.Where(asked.Contains)];
        var unknown = asked.FirstOrDefault(a => !dimensions.Contains(a));
        return unknown is null ? null : MockHttp.Invalid($"group_by: '{unknown}' is not one of {string.Join(", ", dimensions)}");
    }

    /// <summary>Filters by array parameter (<c>models[]</c> → <c>model</c>); model filters accept aliases, as the API resolves them.</summary>
    public static UsageFilter Filter(IQueryCollection query, IReadOnlyDictionary<string, string> parameters)
    {
        var allowed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (parameter, dimension) in parameters)
        {
            var values = MockHttp.Values(query, parameter);
            if (values.Count > 0)
            {
                allowed[dimension] = [.. values.Select(v => dimension == "model" ? ModelCatalog.Resolve(v)?.Id ?? v : v)];
            }
        }

        return new UsageFilter(allowed);
    }

    /// <summary>An opaque cursor in the reference's example format: <c>page_</c> + base64 of what comes next.</summary>
    public static string Cursor(string next) => "page_" + Convert.ToBase64String(Encoding.UTF8.GetBytes(next));

    public static bool TryReadCursor(string page, out string next)
    {
        next = "";
        if (!page.StartsWith("page_", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            next = Encoding.UTF8.GetString(Convert.FromBase64String(page["page_".Length..]));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The composite key of a group (one value per grouped dimension; null sorts first).</summary>
    public static string GroupKey(IEnumerable<string?> values) => string.Join('\u001f', values.Select(v => v ?? "\u0000"));

    [GeneratedRegex(@"(Z|z|[+-]\d{2}:\d{2})$")]
    private static partial Regex WithZone();
}
