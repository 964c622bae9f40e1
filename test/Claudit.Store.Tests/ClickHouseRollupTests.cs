using System.Buffers;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Store.ClickHouse;
using Claudit.Store.ReadModel;

namespace Claudit.Store.Tests;

/// <summary>
/// The ClickHouse dashboard's answers from the per-minute rollup equal its answers from the raw rows, exactly
/// (the same JSON): with batches replayed, ranges with partial minutes at both ends, endpoint scopes; a store
/// created before the rollup is backfilled once; a rollup whose count disagrees with the raw rows is not used.
/// The raw answers come from a database holding the same calls whose rollup was emptied, which the count check
/// sends to the raw rows.
/// </summary>
[Collection(ClickHouseCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public class ClickHouseRollupTests(ClickHouseFixture clickHouse)
{
    private static readonly DateTimeOffset T0 = TestRecords.Start;

    private static readonly RecordFilter[] Ranges =
    [
        new() { Since = T0.AddDays(-1), Until = T0.AddDays(3) },
        // Partial minutes at both ends, and a start off the minute (series then read the raw rows).
        new() { Since = T0.AddSeconds(37.5), Until = T0.AddDays(1).AddHours(5).AddSeconds(-13.25) },
        new() { Since = T0.AddMinutes(7), Until = T0.AddHours(30).AddSeconds(29), Endpoint = EndpointScope.All },
        new() { Since = T0.AddHours(2), Until = T0.AddHours(2).AddSeconds(50) },
    ];

    private static string Fresh() => "r_" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Rollup_answers_equal_the_raw_rows_with_replayed_batches_and_partial_minutes()
    {
        var records = await TestRecords.MixAsync(3000, seed: 11);
        var rolledName = Fresh();
        await using var rolled = await clickHouse.OpenAsync(rolledName);
        foreach (var batch in records.Chunk(700))
        {
            await rolled.AppendAsync(batch);
            // A journal segment replayed, and one overlapping the next batch: neither may count twice.
            Assert.Equal(0, await rolled.AppendAsync(batch));
        }

        Assert.Equal(0, await rolled.AppendAsync([.. records[650..1450]]));

        await using var raw = await RawOnlyAsync(records);
        using var http = Http(rolledName);
        Assert.NotNull(await ClickHouseRollup.ForAsync(http, Ranges[0], CostBasis.Recorded, CancellationToken.None));
        Assert.Equal(records.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await http.ScalarAsync("SELECT sum(n_calls) FROM call_rollup WHERE dim = 'all'", CancellationToken.None));

        await SameAnswersAsync(raw, rolled);

        // A rollup that disagrees with the raw count (a writer racing the backfill) is not read: the answers stay exact.
        await http.ExecuteAsync(
            $"INSERT INTO call_rollup (minute, endpoint_kind, dim, key, n_calls, n_priced, usd_total) VALUES (toDateTime({T0.AddHours(3).ToUnixTimeSeconds()}), 'messages', 'all', '', 1, 1, 5)",
            CancellationToken.None);
        Assert.Null(await ClickHouseRollup.ForAsync(http, Ranges[0], CostBasis.Recorded, CancellationToken.None));
        Same(await raw.QueryOverviewAsync(Ranges[0], CostBasis.Recorded), await rolled.QueryOverviewAsync(Ranges[0], CostBasis.Recorded), "after drift");
    }

    [Fact]
    public async Task A_store_created_before_the_rollup_is_backfilled_once()
    {
        var all = await TestRecords.MixAsync(1500, seed: 5);
        var records = all[..1200];
        var later = all[1200..];
        var name = Fresh();
        using (var http = Http(name))
        {
            // The schema as it was before script 004, with calls stored in it.
            await http.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {name}", CancellationToken.None, inDatabase: false);
            await http.ExecuteAsync("CREATE TABLE schema_version (version Int32, applied_at DateTime) ENGINE = MergeTree ORDER BY version", CancellationToken.None);
            foreach (var (version, _, sql) in ClickHouseSchema.Scripts.Where(s => s.Version < ClickHouseRollup.SchemaVersion))
            {
                foreach (var statement in ClickHouseSchema.Statements(sql))
                {
                    await http.ExecuteAsync(statement, CancellationToken.None);
                }

                await http.ExecuteAsync($"INSERT INTO schema_version VALUES ({version}, now())", CancellationToken.None);
            }

            var buffer = new ArrayBufferWriter<byte>();
            ClickHouseRows.Write(buffer, records.DistinctBy(r => r.Id));
            await http.InsertAsync("calls", buffer.WrittenSpan.ToArray(), buffer.WrittenCount, CancellationToken.None);
        }

        await using var upgraded = await clickHouse.OpenAsync(name);
        using (var http = Http(name))
        {
            // The feed created again (a migration that failed half-way and is run again) backfills nothing twice.
            await ClickHouseRollup.CreateFeedAsync(http, CancellationToken.None);
            Assert.NotNull(await ClickHouseRollup.ForAsync(http, Ranges[0], CostBasis.Recorded, CancellationToken.None));
        }

        // Calls appended after the upgrade are fed to the rollup by the view.
        var stored = records.Select(r => r.Id).ToHashSet();
        Assert.Equal(later.Select(r => r.Id).Distinct().Count(id => !stored.Contains(id)), await upgraded.AppendAsync(later));

        await using var raw = await RawOnlyAsync(all);
        await SameAnswersAsync(raw, upgraded);
    }

    /// <summary>A store holding <paramref name="records"/> whose rollup is empty, so every query reads the raw rows.</summary>
    private async Task<ClickHouseCallStore> RawOnlyAsync(IReadOnlyList<CallRecord> records)
    {
        var name = Fresh();
        var store = await clickHouse.OpenAsync(name);
        foreach (var batch in records.DistinctBy(r => r.Id).Chunk(700))
        {
            await store.AppendAsync(batch);
        }

        using var http = Http(name);
        await http.ExecuteAsync("TRUNCATE TABLE call_rollup", CancellationToken.None);
        Assert.Null(await ClickHouseRollup.ForAsync(http, Ranges[0], CostBasis.Recorded, CancellationToken.None));
        return store;
    }

    private static async Task SameAnswersAsync(ClickHouseCallStore raw, ClickHouseCallStore rolled)
    {
        foreach (var range in Ranges)
        {
            var at = $"{range.Since:O}..{range.Until:O} {range.Endpoint}";
            Same(await raw.QueryOverviewAsync(range, CostBasis.Recorded), await rolled.QueryOverviewAsync(range, CostBasis.Recorded), at);
            Same(await raw.QueryDailyCostAsync(range, CostBasis.Recorded), await rolled.QueryDailyCostAsync(range, CostBasis.Recorded), at);
            foreach (var key in Enum.GetValues<BreakdownKey>())
            {
                Same(await raw.QueryBreakdownAsync(range, CostBasis.Recorded, key, 10), await rolled.QueryBreakdownAsync(range, CostBasis.Recorded, key, 10), $"{at} by {key}");
            }

            foreach (var metric in new[] { TimeSeriesMetric.Requests, TimeSeriesMetric.Errors, TimeSeriesMetric.Cost })
            {
                foreach (var by in Enum.GetValues<TimeSeriesSplit>())
                {
                    var query = new TimeSeriesQuery(metric, by, TimeSpan.FromMinutes(5));
                    if ((by == TimeSeriesSplit.TokenClass && metric != TimeSeriesMetric.Cost) || (by == TimeSeriesSplit.ErrorType && metric != TimeSeriesMetric.Errors))
                    {
                        continue;
                    }

                    Same(await raw.QueryTimeSeriesAsync(range, CostBasis.Recorded, query), await rolled.QueryTimeSeriesAsync(range, CostBasis.Recorded, query), $"{at} {metric} by {by}");
                }
            }
        }
    }

    private ClickHouseHttp Http(string database) => new(ClickHouseLocation.Parse(clickHouse.Server.Url(database)), TimeSpan.FromSeconds(60));

    private static void Same<T>(T expected, T actual, string what) =>
        Assert.True(JsonSerializer.Serialize(expected) == JsonSerializer.Serialize(actual), $"{what}:\n raw    {JsonSerializer.Serialize(expected)}\n rolled {JsonSerializer.Serialize(actual)}");
}
