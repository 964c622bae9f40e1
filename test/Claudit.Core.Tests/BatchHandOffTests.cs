using Claudit.Core.Capture;

namespace Claudit.Core.Tests;

/// <summary>The hand-off to a record queue's writer loses nothing it accepted, refuses past its bound, and ends when completed.</summary>
public sealed class BatchHandOffTests
{
    [Fact]
    public async Task Every_item_from_many_writers_reaches_the_one_consumer_once()
    {
        var handOff = new BatchHandOff<int>(capacity: 1 << 20, linger: TimeSpan.FromMilliseconds(1));
        var taken = new List<int>();
        var batches = 0;
        var consumer = Task.Run(async () =>
        {
            while (await handOff.WaitAsync())
            {
                batches++;
                while (handOff.TryTake(out var item))
                {
                    taken.Add(item);
                }
            }
        });

        const int writers = 4, each = 50_000;
        var accepted = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                if (handOff.TryAdd((w * each) + i))
                {
                    Interlocked.Increment(ref accepted);
                }

                if (i % 5_000 == 0)
                {
                    await Task.Delay(2); // let the consumer fall asleep now and then: the wake-up path is exercised too
                }
            }
        })));
        handOff.Complete();
        await consumer.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(writers * each, accepted);
        Assert.Equal(writers * each, taken.Count);
        Assert.Equal(writers * each, taken.Distinct().Count());
        Assert.Equal(0, handOff.Count);
        Assert.True(batches < taken.Count, $"{batches} batches for {taken.Count} items: the consumer should take bursts, not one item a wake-up");
    }

    [Fact]
    public void Past_its_capacity_it_refuses_and_counts_only_what_waits()
    {
        var handOff = new BatchHandOff<int>(capacity: 3, linger: TimeSpan.Zero);
        Assert.True(handOff.TryAdd(1));
        Assert.True(handOff.TryAdd(2));
        Assert.True(handOff.TryAdd(3));
        Assert.False(handOff.TryAdd(4));
        Assert.Equal(3, handOff.Count);
        Assert.True(handOff.TryTake(out var first));
        Assert.Equal(1, first);
        Assert.True(handOff.TryAdd(5));
        Assert.Equal(3, handOff.Count);
    }

    [Fact]
    public async Task A_sleeping_consumer_is_woken_by_one_item_and_completion_ends_it()
    {
        var handOff = new BatchHandOff<string>(capacity: 10, linger: TimeSpan.FromMilliseconds(1));
        var waiting = handOff.WaitAsync().AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        Assert.True(handOff.TryAdd("a"));
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(handOff.TryTake(out var item));
        Assert.Equal("a", item);

        var ending = handOff.WaitAsync().AsTask();
        handOff.Complete();
        Assert.False(await ending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(handOff.TryAdd("after"));
    }

    [Fact]
    public async Task An_add_racing_with_completion_is_either_refused_or_taken()
    {
        for (var round = 0; round < 20; round++)
        {
            var handOff = new BatchHandOff<int>(capacity: 1 << 20, linger: TimeSpan.Zero);
            var taken = 0;
            var consumer = Task.Run(async () =>
            {
                while (await handOff.WaitAsync())
                {
                    while (handOff.TryTake(out _))
                    {
                        taken++;
                    }
                }
            });
            var accepted = 0;
            using var go = new ManualResetEventSlim();
            var writers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
            {
                go.Wait();
                for (var i = 0; i < 20_000; i++)
                {
                    if (handOff.TryAdd(i))
                    {
                        Interlocked.Increment(ref accepted);
                    }
                }
            })).ToArray();
            go.Set();
            await Task.Delay(1);
            handOff.Complete(); // while the writers are still adding
            await Task.WhenAll(writers);
            await consumer.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(accepted, taken);
        }
    }
}
