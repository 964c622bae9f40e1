using Claudit.Core.Reporting;
using static Claudit.Store.ClickHouse.ClickHouseText;

namespace Claudit.Store.ClickHouse;

/// <summary>
/// A <see cref="RecordFilter"/> as a ClickHouse condition over <c>calls</c>, the same test as
/// <see cref="RecordFilter.Matches"/> (and as the DuckDB engine's filter). A time bound is said twice: on
/// <c>start_time</c> (seconds), which the table's ordering and day partitions can skip by, and exactly on <c>ticks</c>.
/// </summary>
internal static class ClickHouseFilter
{
    public static string Where(RecordFilter f)
    {
        var conditions = new List<string>();
        if (f.Since is { } since)
        {
            conditions.Add($"start_time >= toDateTime({since.ToUnixTimeSeconds()}) AND ticks >= {ClickHouseSql.ToTicks(since)}");
        }

        if (f.Until is { } until)
        {
            conditions.Add($"start_time <= toDateTime({until.ToUnixTimeSeconds()}) AND ticks < {ClickHouseSql.ToTicks(until)}");
        }

        if (f.Model is { } model)
        {
            // RecordFilter compares ordinal-ignore-case; model ids are ASCII, where lower() on both sides is the same test.
            var prefix = Literal(model.ToLowerInvariant());
            conditions.Add($"(ifNull(startsWith(lower(model_used), {prefix}), 0) OR ifNull(startsWith(lower(model_requested), {prefix}), 0))");
        }

        if (f.Endpoint != EndpointScope.All)
        {
            conditions.Add($"endpoint_kind IN ({string.Join(", ", f.EndpointKindsSelected.Select(Literal))})");
        }

        Equal("tag_feature", f.Feature);
        Equal("tag_user", f.User);
        Equal("tag_tenant", f.Tenant);
        if (f.AllowedTenants is { } allowed)
        {
            // A tenant-scoped caller: only its tenants' rows, never one without a tenant.
            conditions.Add(allowed.Count == 0 ? "0" : $"ifNull(tag_tenant IN ({string.Join(", ", allowed.Order(StringComparer.Ordinal).Select(Literal))}), 0)");
        }

        return conditions.Count == 0 ? "1" : string.Join(" AND ", conditions);

        void Equal(string column, string? value)
        {
            if (value is not null)
            {
                conditions.Add($"ifNull({column} = {Literal(value)}, 0)");
            }
        }
    }
}
