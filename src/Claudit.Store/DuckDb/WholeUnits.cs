using Claudit.Core.Reporting;
using DuckDB.NET.Data;

namespace Claudit.Store.DuckDb;

/// <summary>
/// A filter's range split for a pre-aggregated table: the whole units (minutes of the rollups, hours of the
/// histograms) inside it, read from the table, and the partial units at its ends, read from <c>calls</c>.
/// Adds <c>{prefix}from</c>, <c>{prefix}to</c> (ticks) and <c>{prefix}from_us</c>, <c>{prefix}to_us</c>
/// (microseconds) to the parameters, with the filter's own condition and its endpoint scope over the table.
/// </summary>
internal static class WholeUnits
{
    public static (string Where, string Endpoints) Split(RecordFilter filter, long unitTicks, string prefix, List<DuckDBParameter> parameters)
    {
        var where = StoreFilter.Where(filter, parameters);
        var endpoints = StoreFilter.Where(RecordFilter.None with { Endpoint = filter.Endpoint }, parameters, prefix);
        var (from, to) = Bounds(filter, unitTicks);
        parameters.Add(new DuckDBParameter($"{prefix}from", from));
        parameters.Add(new DuckDBParameter($"{prefix}to", to));
        parameters.Add(new DuckDBParameter($"{prefix}from_us", from / 10));
        parameters.Add(new DuckDBParameter($"{prefix}to_us", to / 10));
        return (where, endpoints);
    }

    /// <summary>The start of the first whole unit in the filter's range and the end of the last (equal when it holds none).</summary>
    public static (long From, long To) Bounds(RecordFilter filter, long unitTicks)
    {
        var since = StoreTime.ToTicks(filter.Since!.Value);
        var until = StoreTime.ToTicks(filter.Until!.Value);
        var from = (since + unitTicks - 1) / unitTicks * unitTicks;
        // A range within one unit has none whole: then both edges meet at `from` and cover it all.
        return (from, Math.Max(from, until / unitTicks * unitTicks));
    }

    /// <summary>Whether the range has a partial unit before its first whole one and after its last (an end on a unit's start has none).</summary>
    public static (bool Before, bool After) PartialEnds(RecordFilter filter, long unitTicks)
    {
        var (from, to) = Bounds(filter, unitTicks);
        return (from > StoreTime.ToTicks(filter.Since!.Value), to < StoreTime.ToTicks(filter.Until!.Value));
    }
}
