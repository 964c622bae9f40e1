using Claudit.Core.Reporting;
using Claudit.Store.ReadModel;
using DuckDB.NET.Data;
using static Claudit.Store.DuckDb.StoreSql;

namespace Claudit.Store.DuckDb;

/// <summary>
/// The dearest priced call of each hour × endpoint kind (<c>call_cost_peak</c>, Schema/015), for the dearest calls
/// in a range: the k highest hourly peaks within it are k distinct calls in range, so the k-th of them is a lower
/// bound for the cost of the range's k dearest calls. Given as a condition on <c>cost_usd</c>, it lets DuckDB skip
/// every row group whose dearest call is cheaper (its min/max per column), instead of ordering every call in range.
/// </summary>
internal static class CostPeakSql
{
    private const long TicksPerHour = TimeSpan.TicksPerHour;

    /// <summary>Adds the priced rows of <paramref name="source"/> (a table shaped like <c>calls</c>) to the hourly peaks.</summary>
    public static void Add(DuckDBConnection connection, DuckDBTransaction? transaction, string source)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO call_cost_peak
            SELECT ({Ticks} // {TicksPerHour}) * {TicksPerHour}, coalesce(endpoint_kind, 'other'), max(cost_usd)
            FROM {source} WHERE coalesce(cost_priced, false) AND cost_usd IS NOT NULL GROUP BY ALL
            ON CONFLICT (hour, endpoint_kind) DO UPDATE SET max_cost_usd = greatest(call_cost_peak.max_cost_usd, EXCLUDED.max_cost_usd)
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// A condition on <c>calls</c> keeping every call that can be on the page or before it among the dearest of
    /// <paramref name="filter"/>'s range, or null when the peaks cannot bound them: recorded cost only, under a
    /// filter the rollups serve, for the dearest first, and with at least as many whole hours holding a priced
    /// call as the page's end (a bound of zero would drop priced calls recorded without a cost, which count as zero).
    /// </summary>
    public static string? Bound(DuckDBConnection connection, RecordFilter filter, CostBasis cost, CallListQuery query, List<DuckDBParameter> parameters)
    {
        var count = (long)query.Limit + query.Offset;
        if (query.Order != CallOrder.Cost || query.Ascending || count <= 0 || !RollupSql.Serves(filter, cost))
        {
            return null;
        }

        var peaks = new List<DuckDBParameter>();
        var (_, endpoints) = WholeUnits.Split(filter, TicksPerHour, "p_", peaks);
        using var command = Command(connection, $"""
            SELECT CAST(min(m) AS VARCHAR) FROM (
                SELECT max_cost_usd AS m FROM call_cost_peak
                WHERE hour >= $p_from AND hour < $p_to AND {endpoints.Replace("endpoint_kind", "call_cost_peak.endpoint_kind", StringComparison.Ordinal)}
                ORDER BY m DESC LIMIT {count})
            HAVING count(*) = {count} AND min(m) > 0
            """, peaks.Where(p => p.ParameterName is "p_from" or "p_to" || p.ParameterName.StartsWith("p_endpoint", StringComparison.Ordinal)));
        if (command.ExecuteScalar() is not string bound)
        {
            return null;
        }

        parameters.Add(new DuckDBParameter("cost_peak", bound));
        return $" AND cost_usd >= CAST($cost_peak AS {Money})";
    }
}
