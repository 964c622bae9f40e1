using Claudit.Core.Records;
using Claudit.Journal;

namespace Claudit.Server.Tests;

/// <summary>The queue into the journal never blocks the request path, says what it could not keep, and survives a record it cannot write.</summary>
public sealed class JournalRecordQueueTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("claudit-pipeline-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CallRecord Record(int i) => new()
    {
        Id = Guid.CreateVersion7(),
        StartTime = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero).AddSeconds(i),
        LatencyMs = 1,
    };

    /// <summary>A record no JSON writer can write: JSON has no NaN.</summary>
    private static CallRecord Unwritable() => Record(0) with { LatencyMs = double.NaN };

    private JsonlJournalWriter Journal(TimeSpan? interval = null) =>
        new(new JsonlJournalOptions { Directory = _dir, FlushInterval = interval ?? TimeSpan.FromSeconds(1) });

    private static async Task WaitForAsync(Func<bool> done)
    {
        for (var i = 0; i < 300 && !done(); i++)
        {
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_full_queue_counts_what_it_drops()
    {
        // A burst far larger than the queue, faster than the journal loop drains it: some records are
        // refused, and every one of them is counted.
        var pipeline = new JournalRecordQueue(Journal(), capacity: 4);
        const int burst = 100_000;
        for (var i = 0; i < burst; i++)
        {
            pipeline.TryEnqueue(Record(i));
        }

        await pipeline.DisposeAsync();

        Assert.True(pipeline.Dropped > 0, "a burst of 100,000 into a queue of 4 drops some");
        Assert.Equal(burst, pipeline.Written + pipeline.Dropped);
    }

    [Fact]
    public async Task A_record_the_journal_cannot_write_is_refused_alone_and_the_loop_goes_on()
    {
        var refused = new List<Guid>();
        var pipeline = new JournalRecordQueue(Journal(), capacity: 100, refused: (record, _) => refused.Add(record.Id));
        var poison = Unwritable();

        pipeline.TryEnqueue(Record(1));
        pipeline.TryEnqueue(poison);
        pipeline.TryEnqueue(Record(2));
        await WaitForAsync(() => pipeline.Written + pipeline.Refused == 3);

        Assert.Equal(2, pipeline.Written);
        Assert.Equal(1, pipeline.Refused);
        Assert.Equal([poison.Id], refused);
        Assert.True(pipeline.Healthy, pipeline.Problem);

        // Later records are still taken: the loop did not stop at the poison.
        pipeline.TryEnqueue(Record(3));
        await WaitForAsync(() => pipeline.Written == 3);
        Assert.Equal(3, pipeline.Written);
        await pipeline.DisposeAsync();
        Assert.Equal(3, JournalLines().Length);
    }

    [Fact]
    public async Task Stopping_after_a_poisoned_record_drains_the_queue_and_never_throws()
    {
        var pipeline = new JournalRecordQueue(Journal(), capacity: 1_000);
        pipeline.TryEnqueue(Unwritable());
        for (var i = 0; i < 500; i++)
        {
            pipeline.TryEnqueue(Record(i));
        }

        await pipeline.DisposeAsync(); // throws on failure, failing the test

        Assert.Equal(500, JournalLines().Length);
    }

    [Fact]
    public async Task With_an_fsync_interval_of_zero_each_batch_is_on_disk_at_once()
    {
        // A journal without an interval: only the commit after each batch can write it.
        var pipeline = new JournalRecordQueue(Journal(TimeSpan.Zero), capacity: 100, commitEachBatch: true);

        pipeline.TryEnqueue(Record(1));
        await WaitForAsync(() => JournalLines().Length == 1);

        Assert.Single(JournalLines());
        Assert.Equal(0, pipeline.Pending);
        await pipeline.DisposeAsync();
    }

    private string[] JournalLines() =>
        [.. JsonlFiles.Expand([_dir]).SelectMany(f =>
        {
            using var stream = JsonlFiles.OpenRead(f);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        })];
}
