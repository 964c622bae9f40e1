using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Store.DuckDb;
using DuckDB.NET.Data;

namespace Claudit.Store.Tests;

/// <summary>
/// A store written by an older Claudit is brought up to date on open: version 2's billed cache-write
/// columns are filled for the rows already stored, by the record's own 5m/1h rule, so that reports
/// re-price old and new rows alike.
/// </summary>
public class MigrationTests
{
    [Fact]
    public async Task A_version_1_store_gets_its_billed_cache_writes_filled_by_the_records_rule()
    {
        using var dir = new TempStore();
        var split = Record(1, new TokenUsage { InputTokens = 10, CacheCreationInputTokens = 3000, CacheCreation5mInputTokens = 1000, CacheCreation1hInputTokens = 2000 });
        var unsplit = Record(2, new TokenUsage { InputTokens = 10, CacheCreationInputTokens = 500 });
        var only1h = Record(3, new TokenUsage { InputTokens = 10, CacheCreationInputTokens = 800, CacheCreation1hInputTokens = 800 });

        // A store at version 1, written as an older Claudit wrote it: the first script only, rows without the new columns.
        await using (var current = dir.Open())
        {
            await current.AppendAsync([split, unsplit, only1h]);
        }

        using (var connection = new DuckDBConnection($"Data Source={dir.StorePath}"))
        {
            connection.Open();
            StoreSql.Execute(connection, "ALTER TABLE calls DROP COLUMN cache_write_5m_billed");
            StoreSql.Execute(connection, "ALTER TABLE calls DROP COLUMN cache_write_1h_billed");
            DropVersion6(connection);
            StoreSql.Execute(connection, "DELETE FROM schema_version WHERE version > 1");
        }

        await using var store = dir.Open();
        using (var connection = new DuckDBConnection($"Data Source={dir.StorePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT max(version) FROM schema_version";
            Assert.Equal(SchemaMigrations.Latest, Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        }

        // Re-priced from the stored columns, each row's cost is what the record's own rule gives.
        var report = await store.QueryReportAsync(new ReportOptions { CostMode = CostMode.Recomputed, GroupBy = GroupBy.Session }, CostCalculator.Default);
        foreach (var record in new[] { split, unsplit, only1h })
        {
            Assert.Equal(CostCalculator.Default.Price(record.PricedModel, record.Usage).TotalUsd, report.By.Single(g => g.Key == record.Tags.Session).CostUsd);
        }
    }

    [Fact]
    public async Task A_store_from_before_version_6_gets_the_tool_result_columns_and_the_alerts_table()
    {
        using var dir = new TempStore();
        var old = Record(1, new TokenUsage { InputTokens = 10 });
        await using (var current = dir.Open())
        {
            await current.AppendAsync([old]);
        }

        using (var connection = new DuckDBConnection($"Data Source={dir.StorePath}"))
        {
            connection.Open();
            DropVersion6(connection);
            StoreSql.Execute(connection, "DELETE FROM schema_version WHERE version >= 6");
        }

        await using var store = dir.Open();
        var back = await store.GetCallAsync(old.Id);
        Assert.Equal((0, 0), (back!.ToolResults, back.ToolResultErrors)); // not counted then: read as none
        var counted = Record(2, new TokenUsage { InputTokens = 10 }) with { ToolResults = 5, ToolResultErrors = 2 };
        await store.AppendAsync([counted]);
        Assert.Equal((5, 2), ((await store.GetCallAsync(counted.Id))!.ToolResults, (await store.GetCallAsync(counted.Id))!.ToolResultErrors));
        Assert.Empty(await store.QueryActiveAlertsAsync());
    }

    /// <summary>What version 6 added, taken away again: a store as the version before wrote it.</summary>
    private static void DropVersion6(DuckDBConnection connection)
    {
        StoreSql.Execute(connection, "ALTER TABLE calls DROP COLUMN tool_results");
        StoreSql.Execute(connection, "ALTER TABLE calls DROP COLUMN tool_result_errors");
        StoreSql.Execute(connection, "DROP TABLE alerts");
    }

    private static CallRecord Record(int n, TokenUsage usage) => new()
    {
        Id = Guid.Parse($"01a19467-0000-7000-8000-{n:x12}"),
        StartTime = new DateTimeOffset(2026, 11, 1, 0, n, 0, TimeSpan.Zero),
        ModelUsed = "claude-sonnet-4-5",
        Usage = usage,
        Tags = new CallTags { Session = $"s{n}" },
    };
}
