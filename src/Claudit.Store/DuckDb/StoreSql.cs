using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;

namespace Claudit.Store.DuckDb;

/// <summary>
/// The SQL vocabulary every DuckDB query of the store speaks: the names of the derived columns (the
/// billed model, the billed cache-write split, the start time in ticks, the session key), exact money,
/// commands with parameters, and the readers of a result's columns. A rule that decides what a call
/// is (which model is billed, how cache writes split) is computed in C# when a record is appended and
/// stored in its own column; SQL only ever reads that column.
/// </summary>
internal static class StoreSql
{
    /// <summary>The billed model (<c>CallRecord.PricedModel</c>, stored at append).</summary>
    internal static string BilledModel => "priced_model";

    /// <summary>5-minute cache writes as billed (<c>TokenUsage.EffectiveCacheWrite5m</c>, stored at append).</summary>
    internal static string BilledWrite5m => "cache_write_5m_billed";

    /// <summary>1-hour cache writes as billed (<c>TokenUsage.EffectiveCacheWrite1h</c>, stored at append).</summary>
    internal static string BilledWrite1h => "cache_write_1h_billed";

    /// <summary>A call to an endpoint Anthropic does not bill (Core's <c>EndpointKinds.Free</c>, stored in <c>endpoint_kind</c> at append).</summary>
    internal static string FreeEndpoint { get; } = $"endpoint_kind IN ({string.Join(", ", Core.Records.EndpointKinds.Free.Select(k => $"'{k}'"))})";

    /// <summary>The start time as 100 ns ticks since the Unix epoch.</summary>
    internal static string Ticks => StoreTime.TicksSql;

    /// <summary>The session a call belongs to (<c>CallTags.SessionKey</c>, stored at append).</summary>
    internal static string SessionKey => "session_key";

    /// <summary>The UTC date of the start time, whatever the session's time zone: from the epoch, not from the TIMESTAMPTZ.</summary>
    internal static string UtcDay => "strftime(make_timestamp(epoch_us(start_time)), '%Y-%m-%d')";

    /// <summary>
    /// A token sum as a BIGINT that cannot overflow: DuckDB sums BIGINTs as HUGEINT, and a cast of a sum
    /// past 2^63 back to BIGINT fails the whole query (one record of 2^63 - 1 tokens once made every report
    /// answer 500), so the sum saturates at the BIGINT range instead.
    /// </summary>
    public static string SumTokens(string column) =>
        $"CAST(greatest(least(coalesce(sum({column}), 0), {long.MaxValue}), {long.MinValue}) AS BIGINT)";

    /// <summary>All input a call read (uncached + cache writes + cache reads), added as HUGEINT: BIGINT addition overflows on absurd rows.</summary>
    internal static string TotalInput => "(CAST(input_tokens AS HUGEINT) + coalesce(cache_creation_tokens, 0) + coalesce(cache_read_tokens, 0))";

    /// <summary>Money in SQL: wide enough for any cost, with the scale of .NET decimals that matter.</summary>
    internal static string Money => "DECIMAL(38, 24)";

    internal static int MoneyScale => 24;

    /// <summary>A decimal as an exact SQL literal of type <see cref="Money"/>.</summary>
    public static string MoneyLiteral(decimal value)
    {
        if (decimal.Round(value, MoneyScale) != value)
        {
            throw new StoreException($"a price-table rate ({value} USD per token) has more than {MoneyScale} decimal places: the store cannot price with it exactly");
        }

        return $"CAST('{value.ToString(CultureInfo.InvariantCulture)}' AS {Money})";
    }

    /// <summary>A command with its own copy of the parameters (a parameter belongs to one command; one filter's serve several).</summary>
    public static DuckDBCommand Command(DuckDBConnection connection, string sql, IEnumerable<DuckDBParameter> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var p in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(p.ParameterName, p.Value));
        }

        return command;
    }

    public static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>(key, count) rows of a two-column query.</summary>
    public static List<(string Key, long Count)> Counts(DuckDBConnection connection, string sql, IEnumerable<DuckDBParameter> parameters)
    {
        using var command = Command(connection, sql, parameters);
        using var d = command.ExecuteReader();
        var counts = new List<(string, long)>();
        while (d.Read())
        {
            counts.Add((d.GetString(0), d.GetInt64(1)));
        }

        return counts;
    }

    public static string? Str(DbDataReader d, int i) => d.IsDBNull(i) ? null : d.GetString(i);

    public static int? Int(DbDataReader d, int i) => d.IsDBNull(i) ? null : d.GetInt32(i);

    public static long? Long(DbDataReader d, int i) => d.IsDBNull(i) ? null : d.GetInt64(i);

    public static bool? Bool(DbDataReader d, int i) => d.IsDBNull(i) ? null : d.GetBoolean(i);

    public static double? Double(DbDataReader d, int i) => d.IsDBNull(i) ? null : d.GetDouble(i);

    public static DateTimeOffset? Time(DbDataReader d, int i) => d.IsDBNull(i) ? null : d.GetFieldValue<DateTimeOffset>(i);

    /// <summary>Money read as text (queries cast DECIMALs to VARCHAR: exact whatever their size), without the trailing zeros of its fixed scale.</summary>
    public static decimal Dec(DbDataReader d, int i) =>
        d.IsDBNull(i) ? 0m : Core.Pricing.Money.Trim(decimal.Parse(d.GetString(i), NumberStyles.Float, CultureInfo.InvariantCulture));

    /// <summary>Comma-joined text as a list.</summary>
    public static string[] Split(string? joined) => string.IsNullOrEmpty(joined) ? [] : joined.Split(',');
}
