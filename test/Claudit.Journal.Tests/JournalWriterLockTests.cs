using Microsoft.Extensions.Time.Testing;

namespace Claudit.Journal.Tests;

/// <summary>Only one writer per journal directory: two appenders would interleave partial lines.</summary>
public class JournalWriterLockTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_second_writer_on_the_same_directory_is_refused_with_a_clear_message()
    {
        using var dir = new TempDirectory();
        using var first = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, new FakeTimeProvider(Noon));

        var ex = Assert.Throws<IOException>(() => new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, new FakeTimeProvider(Noon)));

        Assert.Contains("Another process is already writing the journal", ex.Message, StringComparison.Ordinal);
        Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_writer_does_not_release_the_first_writers_lock()
    {
        using var dir = new TempDirectory();
        using var first = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, new FakeTimeProvider(Noon));

        Assert.Throws<IOException>(() => new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, new FakeTimeProvider(Noon)));
        Assert.Throws<IOException>(() => new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, new FakeTimeProvider(Noon)));

        first.Append(SampleRecords.Simple(1));
        first.Flush();
        Assert.Single(JournalFiles.Lines(JournalFiles.DayFile(dir.Path, Noon)));
    }

    [Fact]
    public void The_directory_is_free_again_once_the_writer_is_disposed()
    {
        using var dir = new TempDirectory();
        new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, new FakeTimeProvider(Noon)).Dispose();

        using var second = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, new FakeTimeProvider(Noon));
        second.Append(SampleRecords.Simple(1));
        second.Flush();

        Assert.Single(JournalFiles.Lines(JournalFiles.DayFile(dir.Path, Noon)));
    }

    [Fact]
    public void Writers_with_different_prefixes_share_a_directory()
    {
        using var dir = new TempDirectory();
        using var gateway = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path, FilePrefix = "gateway" }, new FakeTimeProvider(Noon));
        using var library = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path, FilePrefix = "library" }, new FakeTimeProvider(Noon));

        gateway.Append(SampleRecords.Simple(1));
        library.Append(SampleRecords.Simple(2));
        gateway.Flush();
        library.Flush();

        Assert.Single(JournalFiles.Lines(JournalFiles.DayFile(dir.Path, Noon, "gateway")));
        Assert.Single(JournalFiles.Lines(JournalFiles.DayFile(dir.Path, Noon, "library")));
    }
}
