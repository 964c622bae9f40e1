using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Store.DuckDb;
using DuckDB.NET.Data;

namespace Claudit.Store.Tests;

/// <summary>
/// A store written by an older Claudit is brought up to date on open: version 2's derived columns (billed
/// cache writes, session key) are filled for the rows already stored, by the record's own rules, so
/// that reports re-price and group old and new rows alike.
/// </summary>
public class MigrationTests
{
    [Fact]
    public async Task A_version_1_store_gets_its_derived_columns_filled_by_the_records_rules()
    {
        using var dir = new TempStore();
        var split = Record(1, new TokenUsage { InputTokens = 10, CacheCreationInputTokens = 3000, CacheCreation5mInputTokens = 1000, CacheCreation1hInputTokens = 2000 }) with { Tags = new CallTags { Conversation = "s1" } };
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
            DropVersion5(connection);
            DropVersion7(connection);
            StoreSql.Execute(connection, "ALTER TABLE calls DROP COLUMN cache_write_5m_billed");
            StoreSql.Execute(connection, "ALTER TABLE calls DROP COLUMN cache_write_1h_billed");
            StoreSql.Execute(connection, "ALTER TABLE calls DROP COLUMN session_key");
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
            Assert.Equal(CostCalculator.Default.Price(record.PricedModel, record.Usage).TotalUsd, report.By.Single(g => g.Key == record.Tags.SessionKey).CostUsd);
        }
    }

    [Fact]
    public async Task A_version_2_store_gets_the_endpoint_kind_of_each_rows_path_and_the_batches_table()
    {
        using var dir = new TempStore();
        var messages = Record(1, new TokenUsage { InputTokens = 10, OutputTokens = 5 });
        var countTokens = Record(2, new TokenUsage()) with { Endpoint = AnthropicEndpoints.CountTokens, EndpointKind = EndpointKinds.CountTokens, Usage = null, ModelRequested = "claude-sonnet-4-5" };
        var models = Record(3, new TokenUsage()) with { Endpoint = "/v1/models", EndpointKind = EndpointKinds.Models, Usage = null, ModelUsed = null };
        await using (var current = dir.Open())
        {
            await current.AppendAsync([messages, countTokens, models]);
        }

        using (var connection = new DuckDBConnection($"Data Source={dir.StorePath}"))
        {
            connection.Open();
            DropVersion5(connection);
            DropVersion7(connection);
            StoreSql.Execute(connection, "DELETE FROM schema_version WHERE version > 2");
        }

        await using var store = dir.Open();
        Assert.Equal(EndpointKinds.CountTokens, (await store.GetCallAsync(countTokens.Id))!.EndpointKind);
        Assert.Equal(EndpointKinds.Models, (await store.GetCallAsync(models.Id))!.EndpointKind);
        var report = await store.QueryReportAsync(new ReportOptions(), CostCalculator.Default);
        Assert.Equal(1, report.Calls);
        Assert.Equal(["count_tokens", "models"], report.OtherEndpoints.Select(e => e.Endpoint));
        Assert.Empty(await store.ListBatchesAsync(10));
    }

    /// <summary>Takes away what version 5 added, as a store written before it has.</summary>
    private static void DropVersion5(DuckDBConnection connection)
    {
        StoreSql.Execute(connection, "DROP TABLE batches");
        foreach (var column in new[] { "endpoint_kind", "batch_id", "batch_custom_id", "batch_result", "batch_status", "batch_request_count" })
        {
            StoreSql.Execute(connection, $"ALTER TABLE calls DROP COLUMN {column}");
        }
    }

    /// <summary>Takes away what version 7 added (the reconciliations table), as a store written before it has.</summary>
    private static void DropVersion7(DuckDBConnection connection) => StoreSql.Execute(connection, "DROP TABLE reconciliations");

    private static CallRecord Record(int n, TokenUsage usage) => new()
    {
        Id = Guid.Parse($"01a19467-0000-7000-8000-{n:x12}"),
        StartTime = new DateTimeOffset(2026, 11, 1, 0, n, 0, TimeSpan.Zero),
        ModelUsed = "claude-sonnet-4-5",
        Usage = usage,
        Tags = new CallTags { Session = $"s{n}" },
    };
}
