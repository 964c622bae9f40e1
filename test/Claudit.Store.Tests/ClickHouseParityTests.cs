using Claudit.Core.Pricing;
using Claudit.Core.Reconcile;
using Claudit.Core.Reporting;
using Claudit.Store.Alerting;
using Claudit.Store.ClickHouse;
using Claudit.Store.DuckDb;
using Claudit.Store.Usage;

namespace Claudit.Store.Tests;

/// <summary>
/// The same records in DuckDB and in a real ClickHouse (Debian's 18.16, started by the test) give the same
/// answers: every report of <see cref="ReportParityTests"/>' option sets, byte for byte as JSON (exact counts,
/// exact decimal costs, exact percentiles), and the usage budgets, alerts and reconciliations read back.
/// </summary>
[Collection(ClickHouseCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public class ClickHouseParityTests(ClickHouseFixture clickHouse) : IAsyncLifetime
{
    private List<Core.Records.CallRecord> _records = [];
    private DuckDbCallStore _duck = null!;
    private ClickHouseCallStore _click = null!;

    public async Task InitializeAsync()
    {
        var parity = await clickHouse.ParityAsync();
        (_records, _duck, _click) = (parity.Records, parity.Duck, parity.Click);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> Options() => [.. ReportParityTests.Cases.Keys];

    [Theory]
    [MemberData(nameof(Options))]
    public async Task ClickHouse_report_equals_the_DuckDB_report(string name)
    {
        var options = ReportParityTests.Cases[name];

        var expected = await _duck.QueryReportAsync(options, CostCalculator.Default);
        var actual = await _click.QueryReportAsync(options, CostCalculator.Default);

        Assert.Equal(ReportJsonContext.Serialize(expected), ReportJsonContext.Serialize(actual));
    }

    [Fact]
    public async Task Both_stores_hold_every_record_once_and_return_each_as_it_was_appended()
    {
        Assert.Equal(_records.Select(r => r.Id).Distinct().Count(), await _click.CountAsync());
        Assert.Equal(await _duck.CountAsync(), await _click.CountAsync());
        foreach (var record in _records.Where((_, i) => i % 97 == 0))
        {
            var back = await _click.GetCallAsync(record.Id);
            Assert.Equal(AsJournalLine(record), RecordJson.Of(back!));
        }

        Assert.Null(await _click.GetCallAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Usage_for_budgets_hourly_totals_and_recorded_usage_agree()
    {
        var since = TestRecords.Start.AddDays(-1);
        foreach (var scope in Enum.GetValues<UsageScope>())
        {
            var query = new ScopeUsageQuery { Since = since, Scope = scope, BucketTicks = TimeSpan.TicksPerMinute * 5 };
            Assert.Equal(Sorted(await _duck.QueryScopeUsageAsync(query)), Sorted(await _click.QueryScopeUsageAsync(query)));
            var top = query with { Top = 3, Order = UsageOrder.Tokens };
            Assert.Equal(await _duck.QueryScopeUsageAsync(top), await _click.QueryScopeUsageAsync(top));
        }

        CallDimension[] groups = [CallDimension.Model, CallDimension.Tenant];
        var filter = new RecordFilter { Since = since };
        Assert.Equal(
            (await _duck.QueryHourlyTotalsAsync(filter, null, groups)).Select(Text).Order(StringComparer.Ordinal),
            (await _click.QueryHourlyTotalsAsync(filter, null, groups)).Select(Text).Order(StringComparer.Ordinal));

        var until = TestRecords.Start.AddDays(2);
        Assert.Equal(
            await _duck.QueryRecordedUsageAsync(since, until, ReconcileWidth.Hour),
            await _click.QueryRecordedUsageAsync(since, until, ReconcileWidth.Hour));

        static ScopeUsage[] Sorted(ScopeUsage[] rows) => [.. rows.OrderBy(r => r.Scope, StringComparer.Ordinal).ThenBy(r => r.Bucket)];
        static string Text(HourlyTotals h) => $"{h.Hour:O} {string.Join('|', h.Group)} {h.Calls} {h.CostUsd} {h.InputTokens} {h.CacheReadTokens} {h.OutputTokens}";
    }

    [Fact]
    public async Task The_alert_replay_reads_the_same_records_in_the_same_order()
    {
        var filter = new RecordFilter { Since = TestRecords.Start.AddMinutes(1), Until = TestRecords.Start.AddMinutes(4) };
        var duck = new List<Guid>();
        await foreach (var r in _duck.ReadCallsAsync(filter))
        {
            duck.Add(r.Id);
        }

        var appended = _records.ToDictionary(r => r.Id);
        var click = new List<Guid>();
        await foreach (var r in _click.ReadCallsAsync(filter))
        {
            click.Add(r.Id);
            Assert.Equal(AsJournalLine(appended[r.Id]), RecordJson.Of(r));
        }

        Assert.NotEmpty(click);
        Assert.Equal(duck, click);
    }

    /// <summary>
    /// A record as it reads back from its JSON line, as the gateway's store sees it after the journal: the ClickHouse
    /// engine keeps that line, so a record built in memory with, say, an error status and no error object comes back
    /// with the error the reader derives, exactly as it would from the journal.
    /// </summary>
    private static string AsJournalLine(Core.Records.CallRecord record)
    {
        Assert.True(Core.Serialization.CallRecordJsonReader.TryRead(System.Text.Encoding.UTF8.GetBytes(RecordJson.Of(record)), out var read, out _));
        return RecordJson.Of(read!);
    }
}
