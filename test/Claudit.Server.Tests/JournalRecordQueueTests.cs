using Claudit.Core.Records;
using Claudit.Journal;

namespace Claudit.Server.Tests;

/// <summary>The pipeline never blocks the request path and says what it could not keep.</summary>
public sealed class JournalRecordQueueTests
{
    private static CallRecord Record(int i) => new()
    {
        Id = Guid.CreateVersion7(),
        StartTime = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero).AddSeconds(i),
        LatencyMs = 1,
    };

    [Fact]
    public async Task A_stalled_store_loses_records_from_the_store_only_and_counts_them()
    {
        var dir = Directory.CreateTempSubdirectory("claudit-pipeline-").FullName;
        var release = new TaskCompletionSource();
        var stored = 0;
        try
        {
            var journal = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir });
            var pipeline = new JournalRecordQueue(journal, capacity: 10, storeCapacity: 10, store: async (batch, _) =>
            {
                await release.Task;
                Interlocked.Add(ref stored, batch.Count);
            });
            const int total = 500;
            for (var i = 0; i < total; i++)
            {
                pipeline.TryEnqueue(Record(i)); // never blocks, whatever the store does
                if (i % 10 == 9)
                {
                    await Task.Delay(5); // let the journal keep up
                }
            }

            for (var i = 0; i < 200 && pipeline.Written + pipeline.Dropped < total; i++)
            {
                await Task.Delay(10);
            }

            Assert.True(pipeline.StoreDropped > 0, "the stalled store's queue overflowed and said so");
            release.SetResult();
            await pipeline.DisposeAsync();

            Assert.Equal(total, pipeline.Written + pipeline.Dropped);
            Assert.Equal(pipeline.Written, stored + pipeline.StoreDropped);
            Assert.Equal(stored, pipeline.Stored);
        }
        finally
        {
            release.TrySetResult();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_full_queue_counts_what_it_drops()
    {
        var dir = Directory.CreateTempSubdirectory("claudit-pipeline-").FullName;
        try
        {
            // A burst far larger than the queue, faster than the journal loop drains it: some records are
            // refused, and every one of them is counted.
            var journal = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir });
            var pipeline = new JournalRecordQueue(journal, capacity: 4);
            const int burst = 100_000;
            for (var i = 0; i < burst; i++)
            {
                pipeline.TryEnqueue(Record(i));
            }

            await pipeline.DisposeAsync();

            Assert.True(pipeline.Dropped > 0, "a burst of 100,000 into a queue of 4 drops some");
            Assert.Equal(burst, pipeline.Written + pipeline.Dropped);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
