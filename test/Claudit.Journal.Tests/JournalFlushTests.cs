using Microsoft.Extensions.Time.Testing;

namespace Claudit.Journal.Tests;

/// <summary>Records are buffered and written on the interval, when the buffer is large, and on dispose.</summary>
public class JournalFlushTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Records_wait_in_memory_until_the_flush_interval_elapses()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Noon);
        using var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path, FlushInterval = TimeSpan.FromSeconds(1) }, time);
        var path = JournalFiles.DayFile(dir.Path, Noon);

        writer.Append(SampleRecords.Simple(1));
        writer.Append(SampleRecords.Simple(2));
        time.Advance(TimeSpan.FromMilliseconds(999));

        Assert.Equal(2, writer.RecordsBuffered);
        Assert.Equal(0, writer.RecordsWritten);
        Assert.True(!File.Exists(path) || JournalFiles.Lines(path).Length == 0);

        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(0, writer.RecordsBuffered);
        Assert.Equal(2, writer.RecordsWritten);
        Assert.Equal(path, writer.CurrentPath);
        var lines = JournalFiles.Lines(path);
        Assert.Equal(2, lines.Length);
        Assert.Equal(SampleRecords.Simple(1).Id, JournalFiles.Parse(lines[0]).Id);
        Assert.Equal(SampleRecords.Simple(2).Id, JournalFiles.Parse(lines[1]).Id);
    }

    [Fact]
    public void Each_interval_writes_what_arrived_since_the_last()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Noon);
        using var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path, FlushInterval = TimeSpan.FromSeconds(5) }, time);
        var path = JournalFiles.DayFile(dir.Path, Noon);

        writer.Append(SampleRecords.Simple(1));
        time.Advance(TimeSpan.FromSeconds(5));
        writer.Append(SampleRecords.Simple(2));
        time.Advance(TimeSpan.FromSeconds(4));

        Assert.Single(JournalFiles.Lines(path));

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, JournalFiles.Lines(path).Length);
        Assert.Equal(2, writer.RecordsWritten);
    }

    [Fact]
    public void A_buffer_reaching_flush_bytes_is_written_at_once()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Noon);
        // Simple(n) for n in 1..3 serialise to the same length: three lines fill the buffer exactly.
        var lineBytes = SampleRecords.ToJson(SampleRecords.Simple(1)).Length + 1;
        Assert.Equal(lineBytes, SampleRecords.ToJson(SampleRecords.Simple(3)).Length + 1);
        using var writer = new JsonlJournalWriter(
            new JsonlJournalOptions { Directory = dir.Path, FlushInterval = TimeSpan.FromHours(1), FlushBytes = 3 * lineBytes }, time);
        var path = JournalFiles.DayFile(dir.Path, Noon);

        writer.Append(SampleRecords.Simple(1));
        writer.Append(SampleRecords.Simple(2));

        Assert.Equal(0, writer.RecordsWritten);
        Assert.True(!File.Exists(path) || JournalFiles.Lines(path).Length == 0);

        writer.Append(SampleRecords.Simple(3));

        Assert.Equal(3, writer.RecordsWritten);
        Assert.Equal(0, writer.RecordsBuffered);
        Assert.Equal(3, JournalFiles.Lines(path).Length);
    }

    [Fact]
    public void Dispose_writes_what_is_still_buffered()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Noon);
        var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path, FlushInterval = TimeSpan.FromHours(1) }, time);
        var path = JournalFiles.DayFile(dir.Path, Noon);

        writer.Append(SampleRecords.Simple(1));
        Assert.False(File.Exists(path));
        writer.Dispose();

        var line = Assert.Single(JournalFiles.Lines(path));
        Assert.Equal(SampleRecords.Simple(1).Id, JournalFiles.Parse(line).Id);
        Assert.Throws<ObjectDisposedException>(() => writer.Append(SampleRecords.Simple(2)));
    }

    [Fact]
    public async Task DisposeAsync_writes_what_is_still_buffered()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Noon);
        var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path, FlushInterval = TimeSpan.FromHours(1) }, time);

        writer.Append(SampleRecords.Simple(1));
        await writer.DisposeAsync();

        Assert.Single(JournalFiles.Lines(JournalFiles.DayFile(dir.Path, Noon)));
    }

    [Fact]
    public async Task Explicit_flush_writes_without_waiting()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Noon);
        using var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path, FlushInterval = TimeSpan.FromHours(1) }, time);

        writer.Append(SampleRecords.Simple(1));
        await writer.FlushAsync();

        Assert.Single(JournalFiles.Lines(JournalFiles.DayFile(dir.Path, Noon)));
        Assert.Equal(1, writer.RecordsWritten);
    }

    [Fact]
    public void Written_lines_round_trip_every_field()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Noon);
        var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, time);
        var full = SampleRecords.Full();

        writer.Append(full);
        writer.Dispose();

        SampleRecords.AssertEqual(full, JournalFiles.Parse(Assert.Single(JournalFiles.Lines(JournalFiles.DayFile(dir.Path, Noon)))));
    }
}
