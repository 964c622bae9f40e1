using System.Globalization;

namespace Claudit.Server.Budgets;

/// <summary>
/// The time a policy counts over (docs/budgets.md#windows). Calendar windows, <c>1d</c> and <c>1mo</c>, are
/// the current UTC day or month and start again at midnight or on the 1st. Rolling windows, <c>Nm</c> and
/// <c>Nh</c>, are the last N minutes or hours, kept as <see cref="RollingBuckets"/> buckets of a 60th of the
/// window each: the window slides a bucket at a time, so it covers between 59/60 and all of its length.
/// A bucket's index is the same everywhere (the ledger, a shared ledger, the store's rebuild query):
/// days or months since the Unix epoch, or start ticks since the epoch divided by the bucket's length.
/// </summary>
public sealed class PolicyWindow
{
    public const int RollingBuckets = 60;
    private const long MaxRollingMinutes = 31L * 24 * 60;

    private PolicyWindow(string text, bool calendar, bool month, TimeSpan length)
    {
        Text = text;
        IsCalendar = calendar;
        IsMonth = month;
        Length = length;
        BucketTicks = calendar ? 0 : length.Ticks / RollingBuckets;
    }

    /// <summary>As the policy file writes it: <c>1d</c>, <c>1mo</c>, <c>1m</c>, <c>24h</c> …</summary>
    public string Text { get; }

    public bool IsCalendar { get; }

    private bool IsMonth { get; }

    /// <summary>A rolling window's length (a calendar window's is its period's, which varies for months).</summary>
    public TimeSpan Length { get; }

    /// <summary>A rolling window's bucket length in ticks; 0 for calendar windows (one bucket per period).</summary>
    public long BucketTicks { get; }

    public static PolicyWindow Day { get; } = new("1d", calendar: true, month: false, TimeSpan.FromDays(1));

    public static PolicyWindow Month { get; } = new("1mo", calendar: true, month: true, TimeSpan.FromDays(31));

    public static PolicyWindow Minute { get; } = new("1m", calendar: false, month: false, TimeSpan.FromMinutes(1));

    public const string Forms = "1d or 1mo (calendar, UTC), or Nm or Nh (rolling: the last N minutes or hours, e.g. 1m, 1h, 24h)";

    public static bool TryParse(string? text, out PolicyWindow window)
    {
        window = Day;
        switch (text)
        {
            case "1d":
                return true;
            case "1mo":
                window = Month;
                return true;
            case null or { Length: < 2 }:
                return false;
        }

        var unit = text[^1];
        if (!long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || text[0] == '0')
        {
            return false;
        }

        var minutes = unit switch { 'm' => n, 'h' => n * 60, _ => 0 };
        if (minutes is < 1 or > MaxRollingMinutes)
        {
            return false;
        }

        window = minutes == 1 ? Minute : new PolicyWindow(text, calendar: false, month: false, TimeSpan.FromMinutes(minutes));
        return true;
    }

    /// <summary>The bucket <paramref name="time"/> falls in.</summary>
    public long BucketOf(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        if (IsMonth)
        {
            return ((utc.Year - 1970) * 12L) + utc.Month - 1;
        }

        var ticks = utc.Ticks - DateTime.UnixEpoch.Ticks;
        return ticks / (IsCalendar ? TimeSpan.TicksPerDay : BucketTicks);
    }

    /// <summary>The oldest bucket inside the window at <paramref name="now"/>.</summary>
    public long FirstBucket(DateTimeOffset now) => IsCalendar ? BucketOf(now) : BucketOf(now) - (RollingBuckets - 1);

    /// <summary>Where the window at <paramref name="now"/> starts: the period's start, or the oldest bucket's.</summary>
    public DateTimeOffset Start(DateTimeOffset now) => BucketStart(FirstBucket(now));

    /// <summary>When <paramref name="bucket"/> stops counting: its period's end, or when it slides out of the window.</summary>
    public DateTimeOffset LeavesAt(long bucket) => IsCalendar ? BucketStart(bucket + 1) : BucketStart(bucket + RollingBuckets);

    public DateTimeOffset BucketStart(long bucket)
    {
        if (IsMonth)
        {
            return new DateTimeOffset(new DateTime(1970 + (int)(bucket / 12), (int)(bucket % 12) + 1, 1, 0, 0, 0, DateTimeKind.Utc));
        }

        return DateTimeOffset.UnixEpoch.AddTicks(bucket * (IsCalendar ? TimeSpan.TicksPerDay : BucketTicks));
    }

    /// <summary>The window in words, after an amount: "today", "this month", "in the last minute", "in the last 24 hours".</summary>
    public string Describe()
    {
        if (IsCalendar)
        {
            return IsMonth ? "this month" : "today";
        }

        var minutes = (long)Length.TotalMinutes;
        return minutes switch
        {
            1 => "in the last minute",
            60 => "in the last hour",
            _ when minutes % 60 == 0 => $"in the last {minutes / 60} hours",
            _ => $"in the last {minutes} minutes",
        };
    }

    public override string ToString() => Text;
}
