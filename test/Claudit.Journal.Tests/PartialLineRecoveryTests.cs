using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Journal.Tests;

/// <summary>A crash can leave half a line at the end of the file; the next record must still start on its own line.</summary>
public class PartialLineRecoveryTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Next_record_after_a_partial_line_stays_readable()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Noon);
        var path = JournalFiles.DayFile(dir.Path, Noon);
        using (var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, time))
        {
            writer.Append(SampleRecords.Simple(1));
        }

        // The crash: half of a record's line, no newline.
        var half = SampleRecords.ToLine(SampleRecords.Simple(2));
        await File.AppendAllTextAsync(path, half[..(half.Length / 2)]);

        using (var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, time))
        {
            writer.Append(SampleRecords.Simple(3));
        }

        var lines = JournalFiles.Lines(path);
        Assert.Equal(3, lines.Length);
        Assert.Equal(half[..(half.Length / 2)], lines[1]);
        Assert.Equal(SampleRecords.Simple(3).Id, JournalFiles.Parse(lines[2]).Id);

        var stats = new ReadStats();
        var records = await JournalFiles.ReadAllAsync(path, stats);
        Assert.Equal([SampleRecords.Simple(1).Id, SampleRecords.Simple(3).Id], records.Select(r => r.Id));
        Assert.Equal(1, stats.SkippedLines);
        Assert.StartsWith($"{path}:2:", Assert.Single(stats.FirstProblems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_holding_only_a_partial_line_gets_a_newline_first()
    {
        using var dir = new TempDirectory();
        var path = JournalFiles.DayFile(dir.Path, Noon);
        File.WriteAllText(path, "{\"id\":\"01a19467-e8", Encoding.UTF8);

        using (var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, new FakeTimeProvider(Noon)))
        {
            writer.Append(SampleRecords.Simple(1));
        }

        var lines = JournalFiles.Lines(path);
        Assert.Equal(["{\"id\":\"01a19467-e8", SampleRecords.ToLine(SampleRecords.Simple(1))], lines);
    }

    [Fact]
    public void A_complete_file_gets_no_blank_line()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Noon);
        var path = JournalFiles.DayFile(dir.Path, Noon);
        for (var i = 0; i < 3; i++)
        {
            using var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, time);
            writer.Append(SampleRecords.Simple(i));
        }

        var text = JournalFiles.ReadShared(path);
        Assert.DoesNotContain("\n\n", text, StringComparison.Ordinal);
        Assert.Equal(3, JournalFiles.Lines(path).Length);
    }
}
