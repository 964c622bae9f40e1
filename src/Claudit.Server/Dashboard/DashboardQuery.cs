using System.Globalization;
using Claudit.Core.Pricing;
using Claudit.Core.Reporting;
using Claudit.Store;
using Claudit.Store.ReadModel;

namespace Claudit.Server.Dashboard;

/// <summary>
/// The dashboard API's query parameters (docs/api.md): <c>range</c> (<c>1h</c>, <c>24h</c>, <c>7d</c>;
/// the last that long up to now) or <c>since</c> and <c>until</c> (ISO 8601), and <c>model</c>,
/// <c>feature</c>, <c>user</c>, <c>tenant</c>, <c>endpoint</c> (billable by default, <c>all</c>, or a kind). The time range always has both ends, so that every view
/// can compare it with the range before and bucket it.
/// </summary>
internal static class DashboardQuery
{
    private static readonly Dictionary<string, TimeSpan> Ranges = new(StringComparer.Ordinal)
    {
        ["1h"] = TimeSpan.FromHours(1),
        ["24h"] = TimeSpan.FromDays(1),
        ["7d"] = TimeSpan.FromDays(7),
        ["30d"] = TimeSpan.FromDays(30),
    };

    public static bool TryParseFilter(Func<string, string?> parameter, DateTimeOffset now, out RecordFilter filter, out string? error)
    {
        filter = RecordFilter.None;
        error = null;
        if (!ReportQuery.TryTime(parameter, "since", out var since, ref error) || !ReportQuery.TryTime(parameter, "until", out var until, ref error)
            || !ReportQuery.TryEndpoint(parameter, out _, ref error))
        {
            return false;
        }

        var rangeText = parameter("range") is { Length: > 0 } r ? r : "24h";
        if (!Ranges.TryGetValue(rangeText, out var range) && rangeText != "custom")
        {
            error = $"range must be one of 1h, 24h, 7d, 30d or custom, not '{rangeText}'";
            return false;
        }

        if (rangeText == "custom" && (since is null || until is null))
        {
            error = "a custom range needs since and until";
            return false;
        }

        // A range up to now ends at the next whole minute: its buckets then start on whole minutes (the last
        // one marked partial by the page), and the store answers them from its per-minute rollups.
        until ??= new DateTimeOffset((now.UtcTicks + TimeSpan.TicksPerMinute - 1) / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
        since ??= until - (range == default ? Ranges["24h"] : range);
        if (since >= until)
        {
            error = "since must be before until";
            return false;
        }

        filter = ReportQuery.Filter(parameter, since, until);
        return true;
    }

    /// <summary>The parameters every dashboard endpoint's filter takes.</summary>
    public static readonly string[] FilterParameters = ["range", "since", "until", "model", "feature", "user", "tenant", "endpoint", "cost"];

    /// <summary>
    /// The first parameter of <paramref name="given"/> that is neither one of <paramref name="allowed"/> nor, when
    /// <paramref name="properties"/>, a <c>property.NAME</c>: an unknown parameter answers 400 rather than being ignored.
    /// </summary>
    public static string? Unknown(IEnumerable<string> given, IEnumerable<string> allowed, bool properties = false)
    {
        var known = new HashSet<string>(allowed, StringComparer.Ordinal);
        foreach (var name in given)
        {
            if (!known.Contains(name) && !(properties && name.StartsWith(PropertyPrefix, StringComparison.Ordinal) && name.Length > PropertyPrefix.Length))
            {
                return $"unknown parameter '{name}': this endpoint takes {string.Join(", ", known.Order(StringComparer.Ordinal))}{(properties ? ", property.NAME" : "")}";
            }
        }

        return null;
    }

    /// <summary><c>cost</c>: <c>recorded</c> (the default: what each call was priced at when captured) or <c>recomputed</c> (re-priced with <paramref name="pricing"/>).</summary>
    public static bool TryParseCost(Func<string, string?> parameter, CostCalculator pricing, out CostBasis cost, out string? error)
    {
        error = null;
        cost = CostBasis.Recorded;
        switch (parameter("cost"))
        {
            case null or "" or "recorded":
                return true;
            case "recomputed":
                cost = CostBasis.Recomputed(pricing);
                return true;
            case var other:
                error = $"cost must be recorded or recomputed, not '{other}'";
                return false;
        }
    }

    public static bool TryParseSeries(Func<string, string?> parameter, RecordFilter filter, out TimeSeriesQuery query, out string? error)
    {
        query = null!;
        error = null;
        if (!TryEnum(Blank(parameter("metric")) ?? "requests", "metric", out TimeSeriesMetric metric, ref error)
            || !TryEnum(Blank(parameter("by")) ?? "none", "by", out TimeSeriesSplit by, ref error))
        {
            return false;
        }

        var bucket = TimeBuckets.Auto(filter.Since!.Value, filter.Until!.Value);
        if (Blank(parameter("bucket")) is { } bucketText)
        {
            if (!int.TryParse(bucketText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1
                || (filter.Until!.Value - filter.Since!.Value).TotalSeconds / seconds > 10_000)
            {
                error = $"bucket must be a whole number of seconds giving at most 10000 buckets, not '{bucketText}'";
                return false;
            }

            bucket = TimeSpan.FromSeconds(seconds);
        }

        var percentile = 0.95;
        if (Blank(parameter("stat")) is { } stat && !TryPercentile(stat, out percentile))
        {
            error = $"stat must be p50, p95 or p99, not '{stat}'";
            return false;
        }

        query = new TimeSeriesQuery(metric, by, bucket, percentile);
        return true;
    }

    /// <summary>The parameters a call list takes beyond the filter; <c>property.NAME</c> filters on a caller-defined property.</summary>
    public static readonly string[] CallParameters = ["order", "dir", "limit", "offset", "status", "session", "error_type", "stop_reason", "request_id", "trace_id", "q"];

    public const string PropertyPrefix = "property.";

    public static bool TryParseCalls(Func<string, string?> parameter, out CallListQuery query, out string? error) =>
        TryParseCalls(parameter, null, out query, out error);

    public static bool TryParseCalls(Func<string, string?> parameter, IReadOnlyDictionary<string, string>? properties, out CallListQuery query, out string? error)
    {
        query = new CallListQuery();
        error = null;
        if (!TryEnum(Blank(parameter("order")) ?? "recent", "order", out CallOrder order, ref error)
            || !TryInt(parameter, "limit", 50, 1000, out var limit, ref error)
            || !TryInt(parameter, "offset", 0, int.MaxValue, out var offset, ref error))
        {
            return false;
        }

        var status = parameter("status");
        if (status is not (null or "" or "error" or "ok" or "any"))
        {
            error = $"status must be error, ok or any, not '{status}'";
            return false;
        }

        var dir = parameter("dir");
        if (dir is not (null or "" or "asc" or "desc"))
        {
            error = $"dir must be asc or desc, not '{dir}'";
            return false;
        }

        query = new CallListQuery
        {
            Session = Blank(parameter("session")), ErrorsOnly = status == "error", AnsweredOnly = status == "ok", Order = order, Ascending = dir == "asc",
            Limit = limit, Offset = offset, ErrorType = Blank(parameter("error_type")), StopReason = Blank(parameter("stop_reason")),
            RequestId = Blank(parameter("request_id")), TraceId = Blank(parameter("trace_id")), Search = Blank(parameter("q")), Properties = properties,
        };
        return true;
    }

    public static bool TryParseBreakdown(Func<string, string?> parameter, out BreakdownKey by, out int limit, out string? error)
    {
        error = null;
        limit = 0;
        return TryEnum(Blank(parameter("by")) ?? "model", "by", out by, ref error) && TryInt(parameter, "limit", 50, 1000, out limit, ref error);
    }

    public static bool TryPage(Func<string, string?> parameter, out int limit, out int offset, out string? error)
    {
        error = null;
        offset = 0;
        return TryInt(parameter, "limit", 50, 1000, out limit, ref error) && TryInt(parameter, "offset", 0, int.MaxValue, out offset, ref error);
    }

    private static bool TryInt(Func<string, string?> parameter, string name, int fallback, int max, out int value, ref string? error)
    {
        value = fallback;
        if (parameter(name) is not { Length: > 0 } text)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max)
        {
            return true;
        }

        error = $"{name} must be a whole number from 0 to {max}, not '{text}'";
        return false;
    }

    private static bool TryEnum<T>(string text, string name, out T value, ref string? error)
        where T : struct, Enum
    {
        if (Enum.TryParse(text.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out value) && Enum.IsDefined(value) && !char.IsDigit(text[0]))
        {
            return true;
        }

        var names = string.Join(", ", Enum.GetNames<T>().Select(Snake));
        error = $"{name} must be one of {names}; not '{text}'";
        return false;
    }

    private static bool TryPercentile(string stat, out double value)
    {
        value = stat switch { "p50" => 0.5, "p95" => 0.95, "p99" => 0.99, _ => 0 };
        return value > 0;
    }

    internal static string Snake(string name) =>
        string.Concat(name.Select((ch, i) => char.IsUpper(ch) && i > 0 ? "_" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
