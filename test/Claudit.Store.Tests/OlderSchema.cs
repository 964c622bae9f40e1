using Claudit.Store.DuckDb;
using DuckDB.NET.Data;

namespace Claudit.Store.Tests;

/// <summary>
/// Turns a current store back into one an older Claudit wrote, so that a test can open it and watch the
/// migrations run. Every script after version 2 is undone here: a new script adds its undo here too.
/// </summary>
internal static class OlderSchema
{
    /// <summary>The rollup tables of Schema/016, one per dimension.</summary>
    public static readonly string[] RollupTables =
    [
        "call_rollup_all", "call_rollup_model", "call_rollup_feature", "call_rollup_tenant", "call_rollup_error_type", "call_rollup_price_table",
        "call_rollup_daily_user", "call_rollup_daily_session",
    ];

    /// <summary>Takes away what the scripts after version 2 added and forgets they ran.</summary>
    public static void BackToVersion2(DuckDBConnection connection)
    {
        StoreSql.Execute(connection, "DROP TABLE IF EXISTS journal_position"); // 003
        StoreSql.Execute(connection, "ALTER TABLE calls DROP COLUMN message_id"); // 003b
        StoreSql.Execute(connection, "DROP TABLE virtual_keys"); // 004
        StoreSql.Execute(connection, "DROP TABLE batches"); // 005
        foreach (var column in new[] { "endpoint_kind", "batch_id", "batch_custom_id", "batch_result", "batch_status", "batch_request_count" })
        {
            StoreSql.Execute(connection, $"ALTER TABLE calls DROP COLUMN {column}");
        }

        StoreSql.Execute(connection, "ALTER TABLE calls DROP COLUMN tool_results"); // 006
        StoreSql.Execute(connection, "ALTER TABLE calls DROP COLUMN tool_result_errors");
        StoreSql.Execute(connection, "DROP TABLE alerts");
        StoreSql.Execute(connection, "DROP TABLE reconciliations"); // 007
        // 008's call_rollup and 015's call_rollup_daily, a table per dimension since 016
        foreach (var table in RollupTables)
        {
            StoreSql.Execute(connection, $"DROP TABLE {table}");
        }

        StoreSql.Execute(connection, "DROP TABLE call_histogram"); // 011
        StoreSql.Execute(connection, "DROP TABLE call_content"); // 012
        StoreSql.Execute(connection, "DROP TABLE call_cost_peak");

        StoreSql.Execute(connection, "DELETE FROM schema_version WHERE version > 2");
    }
}
