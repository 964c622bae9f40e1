using Claudit.Core.Records;

namespace Claudit.Store.Tests;

/// <summary>
/// The append's two paths keep one rule — every id stored once: a fresh batch goes straight into the table,
/// one that interleaves with stored ids or repeats an id goes through staging; both store the same rows.
/// </summary>
public sealed class AppendPathTests
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static CallRecord At(int second) => new()
    {
        Id = Guid.CreateVersion7(s_start.AddSeconds(second)),
        StartTime = s_start.AddSeconds(second),
        LatencyMs = 10,
        ModelRequested = "claude-haiku-4-5",
    };

    [Fact]
    public async Task A_batch_interleaving_with_stored_ids_stores_only_the_new_ones()
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        var stored = Enumerable.Range(0, 50).Select(i => At(i * 2)).ToList(); // even seconds
        Assert.Equal(50, await store.AppendAsync(stored));

        // Odd seconds fall between stored ids (the range check sees stored rows), plus two already stored.
        var interleaved = Enumerable.Range(0, 50).Select(i => At((i * 2) + 1)).Concat([stored[3], stored[40]]).ToList();
        Assert.Equal(50, await store.AppendAsync(interleaved));

        // Later and fresh: straight in.
        Assert.Equal(10, await store.AppendAsync(Enumerable.Range(200, 10).Select(At).ToList()));
        Assert.Equal(110, await store.CountAsync());
        foreach (var record in interleaved.Concat(stored))
        {
            Assert.Equal(record.StartTime, (await store.GetCallAsync(record.Id))!.StartTime);
        }
    }

    [Fact]
    public async Task A_fresh_batch_that_repeats_an_id_stores_it_once()
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        var one = At(1);
        var batch = new List<CallRecord> { one, At(2), one, At(3) };

        Assert.Equal(3, await store.AppendAsync(batch));
        Assert.Equal(3, await store.CountAsync());
    }

    [Fact]
    public async Task Batches_through_staging_one_after_another_on_the_kept_connection_store_each_id_once()
    {
        // Appends share one connection for the store's life: each staging batch replaces the last one's tables.
        using var dir = new TempStore();
        await using var store = dir.Open();
        var stored = Enumerable.Range(0, 20).Select(i => At(i * 3)).ToList();
        Assert.Equal(20, await store.AppendAsync(stored));
        for (var round = 1; round <= 2; round++)
        {
            var between = Enumerable.Range(0, 19).Select(i => At((i * 3) + round)).Concat([stored[round], stored[round]]).ToList();
            Assert.Equal(19, await store.AppendAsync(between));
        }

        Assert.Equal(0, await store.AppendAsync(stored));
        Assert.Equal(58, await store.CountAsync());
    }
}
