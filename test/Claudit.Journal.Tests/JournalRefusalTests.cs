using Claudit.Core.Records;

namespace Claudit.Journal.Tests;

/// <summary>A record the journal cannot write is refused alone: the journal stays whole and takes the next ones.</summary>
public class JournalRefusalTests
{
    [Fact]
    public void A_record_that_cannot_be_written_throws_and_leaves_no_trace()
    {
        using var dir = new TempDirectory();
        using var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path });

        writer.Append(SampleRecords.Simple(1));
        Assert.ThrowsAny<ArgumentException>(() => writer.Append(SampleRecords.Simple(2) with { LatencyMs = double.NaN }));
        Assert.Throws<ArgumentException>(() => writer.Append(SampleRecords.Simple(3) with { RequestId = new string('r', RecordValidator.MaxLineBytes) }));
        writer.Append(SampleRecords.Simple(4));
        writer.Flush();

        var lines = JournalFiles.Lines(writer.CurrentPath!);
        Assert.Equal([SampleRecords.Simple(1).Id, SampleRecords.Simple(4).Id], lines.Select(l => JournalFiles.Parse(l).Id));
        Assert.Equal(2, writer.RecordsWritten);
    }

    [Fact]
    public void Without_an_interval_records_are_committed_when_asked_and_the_reader_is_told()
    {
        using var dir = new TempDirectory();
        var commits = 0;
        using var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path, FlushInterval = TimeSpan.Zero, FlushToDisk = true, Committed = () => commits++ });

        writer.Append(SampleRecords.Simple(1));
        Thread.Sleep(50);
        Assert.Equal(1, writer.RecordsBuffered);
        Assert.Equal(0, commits);

        writer.Flush();
        writer.Flush(); // nothing new: no commit

        Assert.Equal(1, writer.RecordsWritten);
        Assert.Equal(1, commits);
        Assert.Single(JournalFiles.Lines(writer.CurrentPath!));
    }
}
