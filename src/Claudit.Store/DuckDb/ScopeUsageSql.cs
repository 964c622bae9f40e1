using Claudit.Store.Usage;
using DuckDB.NET.Data;
using static Claudit.Store.DuckDb.StoreSql;

namespace Claudit.Store.DuckDb;

/// <summary>
/// The usage a gateway policy counts, in SQL over <c>calls</c>: the gateway's own <c>/v1/messages</c> calls
/// that it forwarded (not those it refused, origin <c>gateway</c>), grouped by the policy's scope and by
/// time bucket, with the same amounts the gateway settles live: recorded priced cost, one request per
/// call, and all input plus output tokens.
/// </summary>
internal static class ScopeUsageSql
{
    /// <summary>
    /// The column a scope groups by, the value the gateway's admission read before forwarding: the virtual key is
    /// the gateway's <c>virtual_key</c> property, the model the one requested.
    /// </summary>
    public static string Column(UsageScope scope) => scope switch
    {
        UsageScope.Key => "json_extract_string(properties, '$.virtual_key')",
        UsageScope.User => "tag_user",
        UsageScope.Tenant => "tag_tenant",
        UsageScope.Feature => "tag_feature",
        UsageScope.Model => "model_requested",
        _ => "CAST(NULL AS VARCHAR)",
    };

    public static ScopeUsage[] Query(DuckDBConnection connection, ScopeUsageQuery q)
    {
        var parameters = new List<DuckDBParameter> { new("since", StoreTime.ToTicks(q.Since)) };
        var conditions = new List<string>
        {
            $"{Ticks} >= $since",
            "source = 'gateway'",
            "lower(endpoint) = '/v1/messages'",
            "error_origin IS DISTINCT FROM 'gateway'",
        };
        if (q.Until is { } until)
        {
            conditions.Add($"{Ticks} < $until");
            parameters.Add(new DuckDBParameter("until", StoreTime.ToTicks(until)));
        }

        var scope = Column(q.Scope);
        if (q.Scope != UsageScope.Global)
        {
            conditions.Add($"{scope} IS NOT NULL");
        }

        if (q.Match.Key is { } key)
        {
            // A policy may name a key by its id or by its name.
            conditions.Add($"$mkey IN ({Column(UsageScope.Key)}, json_extract_string(properties, '$.virtual_key_name'))");
            parameters.Add(new DuckDBParameter("mkey", key));
        }

        Equal(UsageScope.User, "muser", q.Match.User);
        Equal(UsageScope.Tenant, "mtenant", q.Match.Tenant);
        Equal(UsageScope.Feature, "mfeature", q.Match.Feature);
        if (q.Match.Model is { } model)
        {
            conditions.Add($"starts_with(lower({Column(UsageScope.Model)}), $mmodel)");
            parameters.Add(new DuckDBParameter("mmodel", model.ToLowerInvariant()));
        }

        var bucket = q.BucketTicks > 0 && q.Top is null ? $"{Ticks} // {q.BucketTicks}" : "0";
        var order = q.Top is { } top
            ? $" ORDER BY {q.Order switch { UsageOrder.Requests => "4", UsageOrder.Tokens => "5", _ => "cost" }} DESC, k LIMIT {top}"
            : "";
        var sql = $"""
            SELECT {scope} AS k, {bucket} AS b, coalesce(sum(cost_usd) FILTER (cost_priced), 0) AS cost, count(*),
                   CAST(coalesce(sum(coalesce(input_tokens, 0) + coalesce(cache_creation_tokens, 0) + coalesce(cache_read_tokens, 0) + coalesce(output_tokens, 0)), 0) AS BIGINT)
            FROM calls WHERE {string.Join(" AND ", conditions)}
            GROUP BY k, b{order}
            """;
        using var command = Command(connection, $"SELECT k, b, CAST(cost AS VARCHAR), * EXCLUDE (k, b, cost) FROM ({sql})", parameters);
        using var d = command.ExecuteReader();
        var rows = new List<ScopeUsage>();
        while (d.Read())
        {
            rows.Add(new ScopeUsage(Str(d, 0), d.GetInt64(1), Dec(d, 2), d.GetInt64(3), d.GetInt64(4)));
        }

        return [.. rows];

        void Equal(UsageScope column, string name, string? value)
        {
            if (value is not null)
            {
                conditions.Add($"{Column(column)} = ${name}");
                parameters.Add(new DuckDBParameter(name, value));
            }
        }
    }
}
