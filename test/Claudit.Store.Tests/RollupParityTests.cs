using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Store.DuckDb;
using Claudit.Store.ReadModel;
using DuckDB.NET.Data;

namespace Claudit.Store.Tests;

/// <summary>
/// The dashboard's totals, series, breakdowns and spend per day read the per-minute rollups (Schema/008)
/// when the filter allows; they must answer exactly what the same aggregates over the raw rows answer.
/// The raw answer is the same query with <c>model=claude</c>: every generated model starts with it, so it
/// selects the same rows, but a model filter is one the rollups cannot serve.
/// </summary>
public sealed class RollupParityTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 10, 0, 17, TimeSpan.Zero);

    private static async Task<(TempStore Dir, DuckDbCallStore Store, CallRecord[] Records)> Filled()
    {
        var dir = new TempStore();
        var store = dir.Open();
        var generator = new RecordGenerator(11, Start);
        var records = Enumerable.Range(0, 6_000).Select(_ => generator.Next()).ToList();
        // Retries: some errors tried again, linked to the failed attempt, some of them failing again.
        var generated = records.Count;
        for (var i = 0; i < generated; i += 97)
        {
            if (records[i].Status == CallStatus.Error)
            {
                continue;
            }

            var failed = records[i] with { Status = CallStatus.Error, Error = new CallError { Type = "overloaded_error", Message = "Overloaded" }, Usage = null, Cost = null, StopReason = null };
            records[i] = failed;
            var retry = failed with { Id = Guid.CreateVersion7(failed.StartTime.AddSeconds(1)), StartTime = failed.StartTime.AddSeconds(1), Tags = failed.Tags with { ParentId = failed.Id.ToString(), Attempt = 1 } };
            records.Add(i % 2 == 0 ? retry : retry with { Status = CallStatus.Ok, Error = null });
        }

        // In several batches, so that rollup rows of one minute are added to (ON CONFLICT … DO UPDATE).
        foreach (var batch in records.OrderBy(r => r.StartTime).Chunk(700))
        {
            await store.AppendAsync(batch);
        }

        return (dir, store, [.. records]);
    }

    [Fact]
    public async Task Rollup_answers_equal_raw_answers_for_aligned_and_unaligned_ranges()
    {
        var (dir, store, records) = await Filled();
        using (dir)
        await using (store)
        {
            var last = records.Max(r => r.StartTime);
            var ranges = new[]
            {
                (Start.AddMinutes(-1).AddSeconds(-17), last.AddMinutes(2)),             // minute-aligned, all rows
                (Start.AddSeconds(31.5), last.AddSeconds(-12.25)),                     // partial minutes at both ends
                (Start.AddMinutes(5).AddSeconds(-17), Start.AddMinutes(5).AddSeconds(20)), // within one minute
            };
            foreach (var (since, until) in ranges)
            {
                var rolled = new RecordFilter { Since = since, Until = until };
                var raw = rolled with { Model = "claude" };
                Assert.True(RollupSql.Serves(rolled, CostBasis.Recorded));
                Assert.False(RollupSql.Serves(raw, CostBasis.Recorded));

                var (a, b) = (await store.QueryOverviewAsync(rolled, CostBasis.Recorded), await store.QueryOverviewAsync(raw, CostBasis.Recorded));
                Assert.Equal(b, a);
                Assert.True(a.Current.Requests > 0 || until - since < TimeSpan.FromMinutes(2));

                foreach (var by in new[] { BreakdownKey.Model, BreakdownKey.Feature, BreakdownKey.Tenant, BreakdownKey.Endpoint })
                {
                    Assert.Equal(await store.QueryBreakdownAsync(raw, CostBasis.Recorded, by, 50), await store.QueryBreakdownAsync(rolled, CostBasis.Recorded, by, 50));
                }

                Assert.Equal(await store.QueryDailyCostAsync(raw, CostBasis.Recorded), await store.QueryDailyCostAsync(rolled, CostBasis.Recorded));
            }

            // Series: minute buckets from a minute-aligned start are read from the rollups.
            var aligned = new RecordFilter { Since = Start.AddSeconds(-17), Until = last.AddMinutes(3) };
            foreach (var (metric, split) in new[]
            {
                (TimeSeriesMetric.Requests, TimeSeriesSplit.None), (TimeSeriesMetric.Requests, TimeSeriesSplit.Model), (TimeSeriesMetric.Cost, TimeSeriesSplit.TokenClass),
                (TimeSeriesMetric.Cost, TimeSeriesSplit.Feature), (TimeSeriesMetric.Cost, TimeSeriesSplit.Tenant), (TimeSeriesMetric.Errors, TimeSeriesSplit.ErrorType),
                (TimeSeriesMetric.Errors, TimeSeriesSplit.Model), (TimeSeriesMetric.Requests, TimeSeriesSplit.Endpoint),
            })
            {
                foreach (var bucket in new[] { TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15) })
                {
                    var query = new TimeSeriesQuery(metric, split, bucket, 0.95);
                    var a = await store.QueryTimeSeriesAsync(aligned, CostBasis.Recorded, query);
                    var b = await store.QueryTimeSeriesAsync(aligned with { Model = "claude" }, CostBasis.Recorded, query);
                    Assert.Equal(b.Buckets, a.Buckets);
                    Assert.Equal(b.Series.Select(s => s.Key), a.Series.Select(s => s.Key));
                    for (var i = 0; i < a.Series.Length; i++)
                    {
                        Assert.Equal(b.Series[i].Values, a.Series[i].Values);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Users_and_session_costs_from_the_daily_rollup_equal_answers_over_the_raw_rows()
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        var generator = new RecordGenerator(5, Start);
        // Three and a half days, so that ranges hold whole days and partial ones; ids follow the new times.
        var records = Enumerable.Range(0, 6_000).Select(i =>
        {
            var at = Start.AddSeconds(50.25 * i);
            var record = generator.Next() with { Id = Guid.CreateVersion7(at), StartTime = at };
            return i % 13 == 0 ? record with { Tags = record.Tags with { Session = null, Conversation = null } } : record;
        }).ToArray();
        foreach (var batch in records.Chunk(700))
        {
            await store.AppendAsync(batch);
        }

        var midnight = new DateTimeOffset(Start.UtcDateTime.Date, TimeSpan.Zero);
        var ranges = new[]
        {
            (midnight, midnight.AddDays(5)),                                        // whole days only
            (Start.AddHours(3).AddSeconds(17.5), records[^1].StartTime.AddHours(-5)), // partial days at both ends
            (midnight.AddDays(1).AddHours(2), midnight.AddDays(1).AddHours(20)),    // within one day
        };
        foreach (var (since, until) in ranges)
        {
            foreach (var endpoint in new string?[] { null, EndpointScope.All })
            {
                var rolled = new RecordFilter { Since = since, Until = until, Endpoint = endpoint };
                var raw = rolled with { Model = "claude" };
                Assert.True(RollupSql.Serves(rolled, CostBasis.Recorded));
                foreach (var (limit, latency) in new[] { (5, false), (200, false), (25, true) })
                {
                    var expected = await store.QueryBreakdownAsync(raw, CostBasis.Recorded, BreakdownKey.User, limit, latency);
                    Assert.NotEmpty(expected);
                    Assert.Equal(expected, await store.QueryBreakdownAsync(rolled, CostBasis.Recorded, BreakdownKey.User, limit, latency));
                }

                var (sessions, rawSessions) = (await store.QuerySessionCostsAsync(rolled, CostBasis.Recorded), await store.QuerySessionCostsAsync(raw, CostBasis.Recorded));
                Assert.True(rawSessions.Sessions > 0);
                Assert.Equal(rawSessions with { Bins = [] }, sessions with { Bins = [] });
                Assert.Equal(rawSessions.Bins, sessions.Bins);
            }
        }
    }

    [Fact]
    public async Task The_failure_rate_after_retries_counts_what_the_caller_finally_saw()
    {
        var (dir, store, records) = await Filled();
        using (dir)
        await using (store)
        {
            var all = new RecordFilter { Since = Start.AddHours(-1), Until = records.Max(r => r.StartTime).AddHours(1) };
            var o = (await store.QueryOverviewAsync(all, CostBasis.Recorded)).Current;
            // By hand: group attempts by their logical request; it failed when its last attempt did.
            var counted = records.Where(all.Matches).ToList();
            var logical = counted.GroupBy(r => r.Tags.ParentId ?? r.Id.ToString()).ToList();
            var finallyFailed = logical.Count(g => g.OrderBy(r => r.Tags.Attempt ?? 0).Last().Status == CallStatus.Error);
            Assert.Equal(counted.Count(r => r.Tags.ParentId is not null), o.Retries);
            Assert.Equal((double)finallyFailed / logical.Count, o.FailureRateAfterRetries, 12);
            Assert.True(o.FailureRateAfterRetries < o.ErrorRate);
        }
    }

    [Fact]
    public async Task A_store_from_before_the_rollups_rolls_up_its_rows_when_opened()
    {
        var (dir, store, records) = await Filled();
        using (dir)
        {
            var all = new RecordFilter { Since = Start.AddHours(-1), Until = records.Max(r => r.StartTime).AddHours(1) };
            var before = await store.QueryOverviewAsync(all, CostBasis.Recorded);
            var users = await store.QueryBreakdownAsync(all, CostBasis.Recorded, BreakdownKey.User, 100, latency: false);
            var sessions = await store.QuerySessionCostsAsync(all, CostBasis.Recorded);
            await store.DisposeAsync();
            using (var connection = new DuckDBConnection($"Data Source={dir.StorePath}"))
            {
                connection.Open();
                foreach (var table in OlderSchema.RollupTables)
                {
                    StoreSql.Execute(connection, $"DROP TABLE {table}");
                }

                StoreSql.Execute(connection, "DROP TABLE call_cost_peak");
                StoreSql.Execute(connection, "DELETE FROM schema_version WHERE version IN (8, 15, 16)");
            }

            await using var reopened = dir.Open();
            Assert.Equal(before, await reopened.QueryOverviewAsync(all, CostBasis.Recorded));
            Assert.Equal(records.Length, (await reopened.QueryOverviewAsync(all, CostBasis.Recorded)).Current.Requests);
            Assert.Equal(users, await reopened.QueryBreakdownAsync(all, CostBasis.Recorded, BreakdownKey.User, 100, latency: false));
            var reopenedSessions = await reopened.QuerySessionCostsAsync(all, CostBasis.Recorded);
            Assert.Equal(sessions with { Bins = [] }, reopenedSessions with { Bins = [] });
            Assert.Equal(sessions.Bins, reopenedSessions.Bins);
        }
    }

    [Fact]
    public async Task A_store_with_one_rollup_table_per_grain_moves_its_rows_into_a_table_per_dimension()
    {
        var (dir, store, records) = await Filled();
        using (dir)
        {
            var all = new RecordFilter { Since = Start.AddHours(-1), Until = records.Max(r => r.StartTime).AddHours(1) };
            var partial = new RecordFilter { Since = Start.AddMinutes(7).AddSeconds(3), Until = records.Max(r => r.StartTime).AddMinutes(-9) };
            async Task<object[]> Answers(DuckDbCallStore s) =>
            [
                .. await Task.WhenAll(new[] { all, partial }.Select(async f => (object)new object[]
                {
                    await s.QueryOverviewAsync(f, CostBasis.Recorded),
                    string.Join(";", (await s.QueryBreakdownAsync(f, CostBasis.Recorded, BreakdownKey.Tenant, 100, latency: false)).Select(r => r.ToString())),
                    string.Join(";", (await s.QueryBreakdownAsync(f, CostBasis.Recorded, BreakdownKey.User, 100, latency: false)).Select(r => r.ToString())),
                    (await s.QuerySessionCostsAsync(f, CostBasis.Recorded)) with { Bins = [] },
                })),
            ];
            var before = await Answers(store);
            await store.DisposeAsync();
            long expectedMarked;
            using (var connection = new DuckDBConnection($"Data Source={dir.StorePath}"))
            {
                connection.Open();
                // Back to version 15's shape: one table per grain, the dimension in a column.
                foreach (var (grain, dims) in new[] { ("call_rollup", new[] { "all", "model", "feature", "tenant", "error_type", "price_table" }), ("call_rollup_daily", ["user", "session"]) })
                {
                    StoreSql.Execute(connection, $"CREATE TABLE {grain} AS {string.Join(" UNION ALL ", dims.Select(d => $"SELECT '{d}' AS dim, * FROM {grain}_{d}"))}");
                    foreach (var d in dims)
                    {
                        StoreSql.Execute(connection, $"DROP TABLE {grain}_{d}");
                    }
                }

                StoreSql.Execute(connection, "DELETE FROM schema_version WHERE version = 16");
                // A mark no query reads, to tell rows moved from rows rolled up again from the calls.
                StoreSql.Execute(connection, "UPDATE call_rollup SET retries = retries + 1000 WHERE dim = 'price_table'");
                using var marked = connection.CreateCommand();
                marked.CommandText = "SELECT CAST(sum(retries) AS BIGINT) FROM call_rollup WHERE dim = 'price_table'";
                expectedMarked = Convert.ToInt64(marked.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }

            await using var reopened = dir.Open();
            var after = await Answers(reopened);
            Assert.Equal(before.Length, after.Length);
            for (var i = 0; i < before.Length; i++)
            {
                Assert.Equal((object[])before[i], (object[])after[i]);
            }

            using var check = new DuckDBConnection($"Data Source={dir.StorePath};ACCESS_MODE=READ_ONLY");
            await reopened.DisposeAsync();
            check.Open();
            using var command = check.CreateCommand();
            command.CommandText = "SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('call_rollup', 'call_rollup_daily')";
            Assert.Equal(0L, (long)command.ExecuteScalar()!);
            command.CommandText = "SELECT CAST(sum(retries) AS BIGINT) FROM call_rollup_price_table";
            Assert.Equal(expectedMarked, Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
