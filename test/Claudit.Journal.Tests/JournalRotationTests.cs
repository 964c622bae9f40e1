using Microsoft.Extensions.Time.Testing;

namespace Claudit.Journal.Tests;

/// <summary>One file per UTC day: calls-YYYY-MM-DD.jsonl.</summary>
public class JournalRotationTests
{
    [Fact]
    public void A_new_utc_day_starts_a_new_file()
    {
        using var dir = new TempDirectory();
        var beforeMidnight = new DateTimeOffset(2026, 11, 1, 23, 59, 58, TimeSpan.Zero);
        var time = new FakeTimeProvider(beforeMidnight);
        using var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path, FlushInterval = TimeSpan.FromHours(1) }, time);

        writer.Append(SampleRecords.Simple(1));
        writer.Flush();
        var first = writer.CurrentPath;
        time.Advance(TimeSpan.FromSeconds(3)); // 00:00:01 on 2 November
        writer.Append(SampleRecords.Simple(2));
        writer.Append(SampleRecords.Simple(3));
        writer.Flush();

        var day1 = Path.Combine(dir.Path, "calls-2026-11-01.jsonl");
        var day2 = Path.Combine(dir.Path, "calls-2026-11-02.jsonl");
        Assert.Equal(day1, first);
        Assert.Equal(day2, writer.CurrentPath);
        Assert.Equal(SampleRecords.Simple(1).Id, JournalFiles.Parse(Assert.Single(JournalFiles.Lines(day1))).Id);
        Assert.Equal(
            [SampleRecords.Simple(2).Id, SampleRecords.Simple(3).Id],
            JournalFiles.Lines(day2).Select(l => JournalFiles.Parse(l).Id));
    }

    [Fact]
    public void The_day_is_the_utc_day_whatever_the_clock_offset()
    {
        using var dir = new TempDirectory();
        // 01:30 at +05:00 is still 31 October in UTC.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 1, 30, 0, TimeSpan.FromHours(5)));
        using var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, time);

        writer.Append(SampleRecords.Simple(1));
        writer.Flush();

        Assert.Equal(Path.Combine(dir.Path, "calls-2026-10-31.jsonl"), writer.CurrentPath);
    }

    [Fact]
    public void Same_day_keeps_appending_to_one_file()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        using var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path, FlushInterval = TimeSpan.FromMinutes(1) }, time);

        for (var i = 0; i < 24; i++)
        {
            writer.Append(SampleRecords.Simple(i));
            time.Advance(TimeSpan.FromMinutes(59));
        }

        // 24 x 59 min = 23:36 on the same day.
        Assert.Equal(["calls-2026-11-01.jsonl"], Directory.GetFiles(dir.Path, "*.jsonl").Select(Path.GetFileName));
        Assert.Equal(24, JournalFiles.Lines(JournalFiles.DayFile(dir.Path, time.GetUtcNow())).Length);
    }

    [Fact]
    public void Reopening_the_same_day_appends_after_the_existing_records()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));
        using (var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, time))
        {
            writer.Append(SampleRecords.Simple(1));
        }

        using (var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path }, time))
        {
            writer.Append(SampleRecords.Simple(2));
        }

        Assert.Equal(
            [SampleRecords.Simple(1).Id, SampleRecords.Simple(2).Id],
            JournalFiles.Lines(JournalFiles.DayFile(dir.Path, time.GetUtcNow())).Select(l => JournalFiles.Parse(l).Id));
    }

    [Fact]
    public void File_prefix_names_the_files()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));
        using (var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = dir.Path, FilePrefix = "gateway" }, time))
        {
            writer.Append(SampleRecords.Simple(1));
        }

        Assert.True(File.Exists(Path.Combine(dir.Path, "gateway-2026-11-01.jsonl")));
    }
}
