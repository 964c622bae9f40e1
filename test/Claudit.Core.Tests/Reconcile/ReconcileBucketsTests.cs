using Claudit.Core.Reconcile;

namespace Claudit.Core.Tests.Reconcile;

/// <summary>UTC bucket edges, the settling hour, whole buckets.</summary>
public class ReconcileBucketsTests
{
    [Fact]
    public void Buckets_start_at_the_utc_day_or_hour_whatever_the_offset_of_the_time()
    {
        var lateEvening = new DateTimeOffset(2026, 11, 20, 19, 30, 0, TimeSpan.FromHours(-5)); // 00:30 UTC on the 21st
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), ReconcileBuckets.Floor(lateEvening, ReconcileWidth.Day));
        Assert.Equal(TimeSpan.Zero, ReconcileBuckets.Floor(lateEvening, ReconcileWidth.Day).Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), ReconcileBuckets.Floor(lateEvening, ReconcileWidth.Hour));
        var earlyMorning = new DateTimeOffset(2026, 11, 21, 1, 30, 0, TimeSpan.FromHours(2)); // 23:30 UTC on the 20th
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), ReconcileBuckets.Floor(earlyMorning, ReconcileWidth.Day));
    }

    [Fact]
    public void Without_an_end_the_last_hour_is_left_out()
    {
        var now = new DateTimeOffset(2026, 11, 28, 10, 15, 0, TimeSpan.Zero);
        Assert.Equal(now.AddHours(-1), ReconcileBuckets.DefaultUntil(now));
        // By hour: the hour that ended at 09:00 is the last; by day: today is not finished.
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero), ReconcileBuckets.Whole(now.AddDays(-1), ReconcileBuckets.DefaultUntil(now), ReconcileWidth.Hour).Until);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero), ReconcileBuckets.Whole(now.AddDays(-3), ReconcileBuckets.DefaultUntil(now), ReconcileWidth.Day).Until);
        // Just after midnight, yesterday is not finished either until an hour has passed.
        var justAfterMidnight = new DateTimeOffset(2026, 11, 28, 0, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero), ReconcileBuckets.Whole(justAfterMidnight.AddDays(-3), ReconcileBuckets.DefaultUntil(justAfterMidnight), ReconcileWidth.Day).Until);
    }

    [Fact]
    public void A_range_is_narrowed_to_the_whole_buckets_it_holds()
    {
        var since = new DateTimeOffset(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);
        var (from, to) = ReconcileBuckets.Whole(since, since.AddDays(2), ReconcileWidth.Day);
        Assert.Equal((since.Date.AddDays(1), since.Date.AddDays(2)), (from.UtcDateTime, to.UtcDateTime));
        var (emptyFrom, emptyTo) = ReconcileBuckets.Whole(since, since.AddHours(3), ReconcileWidth.Day);
        Assert.Equal(emptyFrom, emptyTo);
    }
}
