using Claudit.Core.Reporting;
using DuckDB.NET.Data;

namespace Claudit.Store.DuckDb;

/// <summary>
/// A <see cref="RecordFilter"/> as a SQL condition over <c>calls</c>, the same test as
/// <see cref="RecordFilter.Matches"/>; shared by reports and the dashboard's queries so they select alike.
/// </summary>
internal static class StoreFilter
{
    /// <summary>The condition, adding its parameters (named with <paramref name="prefix"/>) to <paramref name="parameters"/>.</summary>
    public static string Where(RecordFilter f, List<DuckDBParameter> parameters, string prefix = "")
    {
        var conditions = new List<string>();
        // Each bound twice: on start_time itself, to the microsecond, which lets DuckDB skip every row group
        // outside the range by its min/max (calls are stored in time order), then exactly, to the tick.
        if (f.Since is { } since)
        {
            conditions.Add($"start_time >= {StoreTime.MicrosecondSql($"{prefix}since_us")} AND {StoreTime.TicksSql} >= ${prefix}since");
            parameters.Add(new DuckDBParameter($"{prefix}since", StoreTime.ToTicks(since)));
            parameters.Add(new DuckDBParameter($"{prefix}since_us", StoreTime.ToTicks(since) / 10));
        }

        if (f.Until is { } until)
        {
            conditions.Add($"start_time <= {StoreTime.MicrosecondSql($"{prefix}until_us")} AND {StoreTime.TicksSql} < ${prefix}until");
            parameters.Add(new DuckDBParameter($"{prefix}until", StoreTime.ToTicks(until)));
            parameters.Add(new DuckDBParameter($"{prefix}until_us", StoreTime.ToTicks(until) / 10));
        }

        if (f.Model is { } model)
        {
            // RecordFilter compares ordinal-ignore-case; model ids are ASCII, where lower() on both sides is the same test.
            conditions.Add($"(starts_with(lower(model_used), ${prefix}model) OR starts_with(lower(model_requested), ${prefix}model))");
            parameters.Add(new DuckDBParameter($"{prefix}model", model.ToLowerInvariant()));
        }

        if (f.Endpoint != EndpointScope.All)
        {
            // Each kind a parameter; the kinds come from Core's EndpointScope, the one rule for what a scope covers.
            var kinds = f.EndpointKindsSelected;
            conditions.Add($"endpoint_kind IN ({string.Join(", ", kinds.Select((_, i) => $"${prefix}endpoint{i}"))})");
            for (var i = 0; i < kinds.Count; i++)
            {
                parameters.Add(new DuckDBParameter($"{prefix}endpoint{i}", kinds[i]));
            }
        }

        Equal("tag_feature", "feature", f.Feature);
        Equal("tag_user", "user", f.User);
        Equal("tag_tenant", "tenant", f.Tenant);
        if (f.AllowedTenants is { } allowed)
        {
            // A tenant-scoped caller: only its tenants' rows, never one without a tenant (NULL is in no list).
            var names = allowed.Order(StringComparer.Ordinal).Select((tenant, i) =>
            {
                parameters.Add(new DuckDBParameter($"{prefix}allowed{i}", tenant));
                return $"${prefix}allowed{i}";
            }).ToList();
            conditions.Add(names.Count == 0 ? "false" : $"tag_tenant IN ({string.Join(", ", names)})");
        }

        return conditions.Count == 0 ? "true" : string.Join(" AND ", conditions);

        void Equal(string column, string name, string? value)
        {
            if (value is not null)
            {
                conditions.Add($"{column} = ${prefix}{name}");
                parameters.Add(new DuckDBParameter($"{prefix}{name}", value));
            }
        }
    }
}
