using System.Data.Common;
using System.Globalization;
using Claudit.Core.Reconcile;
using DuckDB.NET.Data;

namespace Claudit.Store.DuckDb;

/// <summary>The <c>reconciliations</c> table (Schema/007): a reconciliation's rows in, stored rows out.</summary>
internal static class ReconciliationRows
{
    private const string Columns = """
        bucket, model, service_tier,
        recorded_input, recorded_cache_write_5m, recorded_cache_write_1h, recorded_cache_read, recorded_output, recorded_web_searches, recorded_cost_usd,
        billed_input, billed_cache_write_5m, billed_cache_write_1h, billed_cache_read, billed_output, billed_web_searches, billed_cost_usd,
        verdict, reconciled_at
        """;

    public static void Save(DuckDBConnection connection, Reconciliation reconciliation, DateTimeOffset reconciledAt)
    {
        using var transaction = connection.BeginTransaction();
        using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM reconciliations WHERE bucket >= $since AND bucket < $until";
            delete.Parameters.Add(new DuckDBParameter("since", reconciliation.Since.UtcDateTime));
            delete.Parameters.Add(new DuckDBParameter("until", reconciliation.Until.UtcDateTime));
            delete.ExecuteNonQuery();
        }

        foreach (var row in reconciliation.Rows)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO reconciliations ({Columns}) VALUES ($b, $m, $t, {Values("r", row.Recorded)}, {Values("c", row.Billed)}, $v, $at)";
            insert.Parameters.Add(new DuckDBParameter("b", row.Key.Bucket.UtcDateTime));
            insert.Parameters.Add(new DuckDBParameter("m", row.Key.Model));
            insert.Parameters.Add(new DuckDBParameter("t", row.Key.ServiceTier));
            insert.Parameters.Add(new DuckDBParameter("v", row.Verdict));
            insert.Parameters.Add(new DuckDBParameter("at", reconciledAt.UtcDateTime));
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public static List<StoredReconcileRow> Query(DuckDBConnection connection, DateTimeOffset since, DateTimeOffset until)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT epoch_us(bucket), model, service_tier,
                recorded_input, recorded_cache_write_5m, recorded_cache_write_1h, recorded_cache_read, recorded_output, recorded_web_searches, CAST(recorded_cost_usd AS VARCHAR),
                billed_input, billed_cache_write_5m, billed_cache_write_1h, billed_cache_read, billed_output, billed_web_searches, CAST(billed_cost_usd AS VARCHAR),
                verdict, epoch_us(reconciled_at)
            FROM reconciliations WHERE bucket >= $since AND bucket < $until ORDER BY bucket, model, service_tier
            """;
        command.Parameters.Add(new DuckDBParameter("since", since.UtcDateTime));
        command.Parameters.Add(new DuckDBParameter("until", until.UtcDateTime));
        using var d = command.ExecuteReader();
        var rows = new List<StoredReconcileRow>();
        while (d.Read())
        {
            var key = new ReconcileKey(FromMicros(d.GetInt64(0)), d.GetString(1), d.GetString(2));
            var recorded = Amounts(d, 3);
            var billed = Amounts(d, 10);
            rows.Add(new StoredReconcileRow(new ReconcileRow(key, recorded, billed, ReconcileAmounts.Difference(billed, recorded), d.GetString(17)), FromMicros(d.GetInt64(18))));
        }

        return rows;
    }

    private static string Values(string side, ReconcileAmounts a) =>
        string.Join(", ", new[] { a.UncachedInputTokens, a.CacheWrite5mTokens, a.CacheWrite1hTokens, a.CacheReadTokens, a.OutputTokens, a.WebSearchRequests }
            .Select(n => n.ToString(CultureInfo.InvariantCulture)))
        + ", " + (a.CostUsd is { } cost ? StoreSql.MoneyLiteral(cost) : "NULL");

    private static ReconcileAmounts Amounts(DbDataReader d, int i) => new()
    {
        UncachedInputTokens = d.GetInt64(i),
        CacheWrite5mTokens = d.GetInt64(i + 1),
        CacheWrite1hTokens = d.GetInt64(i + 2),
        CacheReadTokens = d.GetInt64(i + 3),
        OutputTokens = d.GetInt64(i + 4),
        WebSearchRequests = d.GetInt64(i + 5),
        CostUsd = d.IsDBNull(i + 6) ? null : StoreSql.Dec(d, i + 6),
    };

    private static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
}
