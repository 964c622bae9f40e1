namespace Claudit.Store.DuckDb;

/// <summary>
/// .NET times count 100 ns ticks; DuckDB's TIMESTAMPTZ stops at the microsecond. A start time is kept as
/// the timestamp plus the ticks below it, and read back as ticks since the Unix epoch, so it round-trips exactly.
/// </summary>
internal static class StoreTime
{
    /// <summary>The 100 ns ticks below the microsecond (times before 1970 are not expected and keep none).</summary>
    public static byte SubMicrosecondTicks(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return ticks <= 0 ? (byte)0 : (byte)(ticks % 10);
    }

    /// <summary>The SQL for a start time as 100 ns ticks since the Unix epoch.</summary>
    public const string TicksSql = "(epoch_us(start_time) * 10 + start_time_ticks)";

    /// <summary>A TIMESTAMPTZ from a parameter holding microseconds since the epoch, whatever the session's time zone.</summary>
    public static string MicrosecondSql(string parameter) => $"('epoch'::TIMESTAMPTZ + to_microseconds(${parameter}))";

    public static long ToTicks(DateTimeOffset time) => time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;

    public static DateTimeOffset FromTicks(long ticksSinceEpoch) => DateTimeOffset.UnixEpoch.AddTicks(ticksSinceEpoch);
}
