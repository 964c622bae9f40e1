using Claudit.Core.Records;
using DuckDB.NET.Data;

namespace Claudit.Store.Tests;

/// <summary>
/// The store keeps how far into each journal file it has applied, in the same transaction as the records
/// it applied from there: after any crash, the position and the records agree.
/// </summary>
public class JournalPositionTests
{
    [Fact]
    public async Task A_batch_and_its_position_are_kept_together_and_a_position_moves_alone()
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        Assert.Empty(await store.GetJournalPositionsAsync());

        var added = await store.AppendAsync([TestRecords.Full()], new JournalPosition("calls-2026-11-01.jsonl", 1234));
        await store.AppendAsync([], new JournalPosition("calls-2026-11-01.jsonl", 2000));
        await store.AppendAsync([], new JournalPosition("calls-2026-11-02.jsonl", 10));

        Assert.Equal(1, added);
        var positions = await store.GetJournalPositionsAsync();
        Assert.Equal(2000, positions["calls-2026-11-01.jsonl"]);
        Assert.Equal(10, positions["calls-2026-11-02.jsonl"]);
        Assert.Equal(1, await store.CountAsync());
    }

    [Fact]
    public async Task A_batch_the_store_refuses_moves_neither_records_nor_position()
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        await store.AppendAsync([], new JournalPosition("calls-2026-11-01.jsonl", 100));
        var good = TestRecords.Full();
        // Money beyond DECIMAL(38, 24): DuckDB refuses the row, and with it the whole transaction.
        var refused = TestRecords.Full() with { Cost = new CallCost { Priced = true, TotalUsd = 1e15m } };

        await Assert.ThrowsAnyAsync<Exception>(() => store.AppendAsync([good, refused], new JournalPosition("calls-2026-11-01.jsonl", 900)));

        Assert.Equal(0, await store.CountAsync());
        Assert.Equal(100, (await store.GetJournalPositionsAsync())["calls-2026-11-01.jsonl"]);
    }

    [Fact]
    public async Task A_version_2_store_gets_the_position_table_and_starts_with_no_positions()
    {
        using var dir = new TempStore();
        await using (var current = dir.Open())
        {
            await current.AppendAsync([TestRecords.Full()]);
        }

        using (var connection = new DuckDBConnection($"Data Source={dir.StorePath}"))
        {
            connection.Open();
            OlderSchema.BackToVersion2(connection);
        }

        await using var store = dir.Open();

        Assert.Empty(await store.GetJournalPositionsAsync());
        Assert.Equal(1, await store.CountAsync());
        await store.AppendAsync([], new JournalPosition("calls-2026-11-01.jsonl", 5));
        Assert.Equal(5, (await store.GetJournalPositionsAsync())["calls-2026-11-01.jsonl"]);
    }
}
