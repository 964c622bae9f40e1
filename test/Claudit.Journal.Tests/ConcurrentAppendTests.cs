using Microsoft.Extensions.Time.Testing;

namespace Claudit.Journal.Tests;

/// <summary>Append is thread-safe: records from many threads all arrive, each on a whole line.</summary>
public class ConcurrentAppendTests
{
    [Fact]
    public async Task Many_threads_appending_lose_nothing()
    {
        const int Threads = 8;
        const int PerThread = 500;
        using var dir = new TempDirectory();
        var start = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        // A small flush size makes writes happen mid-stream, while other threads append.
        var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path, FlushBytes = 4096, FlushInterval = TimeSpan.FromMilliseconds(10) }, time);
        using var go = new ManualResetEventSlim();

        var tasks = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            go.Wait();
            for (var i = 0; i < PerThread; i++)
            {
                writer.Append(SampleRecords.Simple((t * PerThread) + i));
                if (i % 50 == 0 && t == 0)
                {
                    time.Advance(TimeSpan.FromMilliseconds(10)); // the interval timer fires too
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        go.Set();
        await Task.WhenAll(tasks);
        writer.Dispose();

        Assert.Equal(Threads * PerThread, writer.RecordsWritten);
        var lines = JournalFiles.Lines(JournalFiles.DayFile(dir.Path, start));
        Assert.Equal(Threads * PerThread, lines.Length);
        var ids = lines.Select(l => JournalFiles.Parse(l).Id).ToHashSet();
        var expected = Enumerable.Range(0, Threads * PerThread).Select(n => SampleRecords.Simple(n).Id).ToHashSet();
        Assert.True(expected.SetEquals(ids), "the ids written are not the ids appended");
    }
}
