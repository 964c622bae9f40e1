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
            OlderSchema.BackToVersion2(connection);
            StoreSql.Execute(connection, "ALTER TABLE calls DROP COLUMN cache_write_5m_billed");
            StoreSql.Execute(connection, "ALTER TABLE calls DROP COLUMN cache_write_1h_billed");
            StoreSql.Execute(connection, "ALTER TABLE calls DROP COLUMN session_key");
            StoreSql.Execute(connection, "DELETE FROM schema_version WHERE version > 1");
        }

        await using var store = dir.Open();
        using (var connection = new DuckDBConnection($"Data Source={dir.StorePath}"))
        {
            connection.Open();
            Assert.Equal(SchemaMigrations.Versions.ToHashSet(), SchemaMigrations.Applied(connection));
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
            OlderSchema.BackToVersion2(connection);
        }

        await using var store = dir.Open();
        Assert.Equal(EndpointKinds.CountTokens, (await store.GetCallAsync(countTokens.Id))!.EndpointKind);
        Assert.Equal(EndpointKinds.Models, (await store.GetCallAsync(models.Id))!.EndpointKind);
        var report = await store.QueryReportAsync(new ReportOptions(), CostCalculator.Default);
        Assert.Equal(1, report.Calls);
        Assert.Equal(["count_tokens", "models"], report.OtherEndpoints.Select(e => e.Endpoint));
        Assert.Empty(await store.ListBatchesAsync(10));
    }

    [Fact]
    public async Task A_version_2_store_gets_the_lettered_message_id_script_recorded_as_3002()
    {
        using var dir = new TempStore();
        var old = Record(1, new TokenUsage { InputTokens = 10 }) with { MessageId = "msg_before" };
        await using (var current = dir.Open())
        {
            await current.AppendAsync([old]);
        }

        // As the last claudit before 003b left it: no message_id column, versions 1 and 2 recorded.
        using (var connection = new DuckDBConnection($"Data Source={dir.StorePath}"))
        {
            connection.Open();
            OlderSchema.BackToVersion2(connection);
        }

        await using (var store = dir.Open())
        {
            var fresh = Record(2, new TokenUsage { InputTokens = 20 }) with { MessageId = "msg_after" };
            await store.AppendAsync([fresh]);
            Assert.Null((await store.GetCallAsync(old.Id))!.MessageId); // stored before the column existed
            Assert.Equal("msg_after", (await store.GetCallAsync(fresh.Id))!.MessageId);
        }

        using (var connection = new DuckDBConnection($"Data Source={dir.StorePath}"))
        {
            connection.Open();
            Assert.Equal(SchemaMigrations.Versions.ToHashSet(), SchemaMigrations.Applied(connection));
            Assert.Contains(3002, SchemaMigrations.Applied(connection));
        }
    }

    [Fact]
    public async Task A_store_with_a_version_this_build_does_not_know_is_refused_as_newer()
    {
        using var dir = new TempStore();
        await using (var store = dir.Open())
        {
            await store.AppendAsync([Record(1, new TokenUsage { InputTokens = 10 })]);
        }

        using (var connection = new DuckDBConnection($"Data Source={dir.StorePath}"))
        {
            connection.Open();
            StoreSql.Execute(connection, "INSERT INTO schema_version (version) VALUES (3001)"); // a 003a-… this build has not got
        }

        var ex = Assert.Throws<StoreException>(() => dir.Open());
        Assert.Contains("written by a newer claudit (schema version 3001", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("001-calls", 1)]
    [InlineData("002-billed-cache-writes", 2)]
    [InlineData("003-journal-position", 3)]
    [InlineData("003a-x", 3001)]
    [InlineData("003b-message-id", 3002)]
    [InlineData("010-y", 10)]
    public void Lettered_scripts_get_versions_of_their_own(string name, int version) =>
        Assert.Equal(version, SchemaMigrations.VersionOf(name));

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
            OlderSchema.BackToVersion2(connection);
        }

        await using var store = dir.Open();
        var back = await store.GetCallAsync(old.Id);
        Assert.Equal((0, 0), (back!.ToolResults, back.ToolResultErrors)); // not counted then: read as none
        var counted = Record(2, new TokenUsage { InputTokens = 10 }) with { ToolResults = 5, ToolResultErrors = 2 };
        await store.AppendAsync([counted]);
        Assert.Equal((5, 2), ((await store.GetCallAsync(counted.Id))!.ToolResults, (await store.GetCallAsync(counted.Id))!.ToolResultErrors));
        Assert.Empty(await store.QueryActiveAlertsAsync());
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
