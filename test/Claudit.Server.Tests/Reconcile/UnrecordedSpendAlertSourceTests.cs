using Claudit.Core.Reconcile;
using Claudit.Server.Reconcile;
using Claudit.Store.DuckDb;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Server.Tests.Reconcile;

/// <summary>
/// What the gateway's <c>unrecorded_spend</c> rule reads (<see cref="StoredUnrecordedSpend"/>), over a real DuckDB
/// file: the most recent finished day whose share is known, queried in the background (never on the evaluator's
/// read), kept between queries and queried again once <see cref="StoredUnrecordedSpend.RefreshEvery"/> has passed.
/// </summary>
public sealed class UnrecordedSpendAlertSourceTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("claudit-unrecorded-").FullName;

    private static Reconciliation Billed(DateTimeOffset day, decimal recordedUsd, decimal billedUsd)
    {
        ReconcileCell Cell(decimal cost) => new(new ReconcileKey(day, "claude-sonnet-4-6", "standard"), new ReconcileAmounts { UncachedInputTokens = (long)(cost * 1000), OutputTokens = 10, CostUsd = cost });
        return Reconciler.Compare(recordedUsd > 0 ? [Cell(recordedUsd)] : [], billedUsd > 0 ? [Cell(billedUsd)] : [], day, day.AddDays(1), ReconcileWidth.Day, ReconcileTolerance.Default);
    }

    /// <summary>Reads until the background query has answered something other than <paramref name="before"/> (real time, bounded).</summary>
    private static async Task<UnrecordedSpend?> ReadChangedAsync(StoredUnrecordedSpend source, DateTimeOffset now, UnrecordedSpend? before)
    {
        for (var i = 0; i < 200; i++)
        {
            if (source.Latest(now) is { } latest && latest != before)
            {
                return latest;
            }

            await Task.Delay(25);
        }

        return source.Latest(now);
    }

    [Fact]
    public async Task Reads_the_latest_finished_day_with_a_known_share_and_queries_again_every_few_minutes()
    {
        await using var store = DuckDbCallStore.Open(Path.Combine(_dir, DuckDbCallStore.FileName));
        var reconciledAt = Day.AddDays(2).AddHours(2);
        await store.SaveReconciliationAsync(Billed(Day, recordedUsd: 9m, billedUsd: 10m), reconciledAt);
        await store.SaveReconciliationAsync(Billed(Day.AddDays(1), recordedUsd: 0m, billedUsd: 0m), reconciledAt); // nothing billed: no share
        var time = new FakeTimeProvider(Day.AddDays(2).AddHours(3));
        await using var source = new StoredUnrecordedSpend(store, lookbackDays: 7, time, NullLogger.Instance);

        // The query started with the source; the 21st billed nothing, so the 20th is the latest day with a share.
        var first = await ReadChangedAsync(source, time.GetUtcNow(), null);
        Assert.NotNull(first);
        Assert.Equal((Day, 10m, 1m), (first.Day, first.BilledUsd, first.UnrecordedUsd));
        Assert.Equal(0.1, first.Value!.Value, 9);

        // The 21st reconciled again with a bill: not read before the next refresh...
        await store.SaveReconciliationAsync(Billed(Day.AddDays(1), recordedUsd: 1m, billedUsd: 4m), reconciledAt.AddHours(1));
        time.Advance(StoredUnrecordedSpend.RefreshEvery - TimeSpan.FromSeconds(1));
        await Task.Delay(200);
        Assert.Same(first, source.Latest(time.GetUtcNow()));

        // ...then read in the background: the first read after it is due still answers at once, with what it has.
        time.Advance(TimeSpan.FromSeconds(1));
        var second = await ReadChangedAsync(source, time.GetUtcNow(), first);
        Assert.NotNull(second);
        Assert.Equal((Day.AddDays(1), 0.75), (second.Day, second.Value));
    }

    [Fact]
    public async Task A_day_that_left_the_lookback_reads_as_no_value()
    {
        await using var store = DuckDbCallStore.Open(Path.Combine(_dir, DuckDbCallStore.FileName));
        await store.SaveReconciliationAsync(Billed(Day, recordedUsd: 1m, billedUsd: 10m), Day.AddDays(1).AddHours(2));
        var time = new FakeTimeProvider(Day.AddDays(2));
        await using var source = new StoredUnrecordedSpend(store, lookbackDays: 7, time, NullLogger.Instance);
        Assert.Equal(Day, (await ReadChangedAsync(source, time.GetUtcNow(), null))?.Day);

        // Ten days on, with no reconciliation since (the Admin API refused, say), the old day is no longer read.
        time.Advance(TimeSpan.FromDays(8));
        for (var i = 0; i < 200 && source.Latest(time.GetUtcNow()) is not null; i++)
        {
            await Task.Delay(25);
        }

        Assert.Null(source.Latest(time.GetUtcNow()));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
