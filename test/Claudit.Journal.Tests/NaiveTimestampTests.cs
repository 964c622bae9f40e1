namespace Claudit.Journal.Tests;

/// <summary>Changes the process's local time zone, so nothing may run beside it.</summary>
[CollectionDefinition(nameof(LocalTimeZoneCollection), DisableParallelization = true)]
public sealed class LocalTimeZoneCollection;

/// <summary>
/// A time written without an offset (tracer.py's <c>datetime.utcnow().isoformat()</c>) is UTC, as the
/// CLI's --since is: reading it must not depend on the time zone of the machine running the report.
/// </summary>
[Collection(nameof(LocalTimeZoneCollection))]
public class NaiveTimestampTests
{
    [Theory]
    [InlineData("Asia/Kolkata")] // +05:30
    [InlineData("America/New_York")] // -05:00 in March before DST
    public void Iso_time_without_offset_reads_as_utc_in_any_local_time_zone(string zone)
    {
        var saved = Environment.GetEnvironmentVariable("TZ");
        try
        {
            Environment.SetEnvironmentVariable("TZ", zone);
            TimeZoneInfo.ClearCachedData();
            if (TimeZoneInfo.Local.BaseUtcOffset == TimeSpan.Zero)
            {
                return; // No time zone data on this machine: it can only run in UTC, where the question does not arise.
            }

            var tracer = SampleRecords.Read(
                "{\"caller\":\"a.py:1\",\"function\":\"f\",\"ts_start\":\"2026-03-01T09:15:30.250000\",\"model_requested\":\"claude-haiku-4-5\",\"status\":\"ok\",\"latency_s\":0.5}");
            var claudit = SampleRecords.Read("{\"id\":\"01a19467-e89c-7b37-a1e7-6e3cfa877061\",\"start_time\":\"2026-03-01T09:15:30.25\"}");
            var withOffset = SampleRecords.Read("{\"id\":\"01a19467-e89c-7b37-a1e7-6e3cfa877061\",\"start_time\":\"2026-03-01T11:15:30.25+02:00\"}");

            var expected = new DateTimeOffset(2026, 3, 1, 9, 15, 30, 250, TimeSpan.Zero);
            Assert.Equal(expected, tracer.StartTime);
            Assert.Equal(expected, claudit.StartTime);
            Assert.Equal(expected, withOffset.StartTime);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", saved);
            TimeZoneInfo.ClearCachedData();
        }
    }
}
