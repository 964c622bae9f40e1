using System.Globalization;
using System.Text;

namespace Claudit.Core.Reporting;

/// <summary>
/// <see cref="ReportOptions"/> as URL query parameters, for the server's <c>/api/report</c> and
/// <c>claudit report --server</c>: <c>by</c>, <c>top</c>, <c>cost</c>, <c>since</c>, <c>until</c>
/// (ISO 8601), <c>model</c>, <c>feature</c>, <c>user</c>, <c>tenant</c>, <c>endpoint</c>. One definition both ways, so the two agree.
/// </summary>
public static class ReportQuery
{
    /// <summary>Every parameter <see cref="TryParse"/> reads.</summary>
    public static readonly IReadOnlyList<string> Parameters = ["by", "top", "cost", "since", "until", "model", "feature", "user", "tenant", "endpoint"];

    public static string ToQueryString(ReportOptions options)
    {
        var query = new StringBuilder();
        Add("by", options.GroupBy.ToString().ToLowerInvariant());
        Add("top", options.TopN.ToString(CultureInfo.InvariantCulture));
        Add("cost", options.CostMode == CostMode.Recorded ? "recorded" : "recomputed");
        Add("since", options.Filter.Since?.ToString("O", CultureInfo.InvariantCulture));
        Add("until", options.Filter.Until?.ToString("O", CultureInfo.InvariantCulture));
        Add("model", options.Filter.Model);
        Add("feature", options.Filter.Feature);
        Add("user", options.Filter.User);
        Add("tenant", options.Filter.Tenant);
        Add("endpoint", options.Filter.Endpoint);
        return query.ToString();

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }
    }

    /// <summary>Reads the parameters; an unknown or malformed value gives a message naming it.</summary>
    public static bool TryParse(Func<string, string?> parameter, out ReportOptions options, out string? error)
    {
        options = new ReportOptions();
        error = null;
        var by = GroupBy.Model;
        if (parameter("by") is { } byText && !Enum.TryParse(byText, ignoreCase: true, out by) || !Enum.IsDefined(by))
        {
            error = $"by must be one of model, feature, user, tenant, session, day, endpoint; not '{parameter("by")}'";
            return false;
        }

        var top = 10;
        if (parameter("top") is { } topText && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top > 1000))
        {
            error = $"top must be a whole number from 0 to 1000, not '{topText}'";
            return false;
        }

        var cost = parameter("cost") ?? "recorded";
        if (cost is not ("recomputed" or "recorded"))
        {
            error = $"cost must be recomputed or recorded, not '{cost}'";
            return false;
        }

        if (!TryTime(parameter, "since", out var since, ref error) || !TryTime(parameter, "until", out var until, ref error)
            || !TryEndpoint(parameter, out _, ref error))
        {
            return false;
        }

        options = new ReportOptions
        {
            GroupBy = by,
            TopN = top,
            CostMode = cost == "recorded" ? CostMode.Recorded : CostMode.Recomputed,
            Filter = Filter(parameter, since, until),
        };
        return true;
    }

    /// <summary><c>endpoint</c>: billable (the default), all, or an endpoint kind; anything else gives a message naming it.</summary>
    public static bool TryEndpoint(Func<string, string?> parameter, out string? endpoint, ref string? error)
    {
        if (EndpointScope.TryParse(parameter("endpoint"), out endpoint))
        {
            return true;
        }

        error = $"endpoint must be one of {EndpointScope.Choices}; not '{parameter("endpoint")}'";
        return false;
    }

    /// <summary>
    /// The filter of a query: the time range given, and the model, feature, user, tenant and endpoint parameters
    /// (empty means any; a bad endpoint was refused by <see cref="TryEndpoint"/> first, and is the default here).
    /// </summary>
    public static RecordFilter Filter(Func<string, string?> parameter, DateTimeOffset? since, DateTimeOffset? until) => new()
    {
        Endpoint = EndpointScope.TryParse(parameter("endpoint"), out var endpoint) ? endpoint : null,
        Since = since,
        Until = until,
        Model = Blank(parameter("model")),
        Feature = Blank(parameter("feature")),
        User = Blank(parameter("user")),
        Tenant = Blank(parameter("tenant")),
    };

    /// <summary>An ISO 8601 time parameter (UTC when it names no offset); absent is null, malformed gives a message naming it.</summary>
    public static bool TryTime(Func<string, string?> parameter, string name, out DateTimeOffset? value, ref string? error)
    {
        value = null;
        if (parameter(name) is not { Length: > 0 } text)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        error = $"{name} must be an ISO 8601 time, not '{text}'";
        return false;
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
