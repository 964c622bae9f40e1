using System.Buffers;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Claudit.Core.Reporting;
using Claudit.Store.Alerting;
using DuckDB.NET.Data;
using static Claudit.Store.DuckDb.StoreSql;

namespace Claudit.Store.DuckDb;

/// <summary>The DuckDB side of <see cref="IAlertStore"/>: the <c>alerts</c> table (Schema/006) and the evaluator's seeding queries over <c>calls</c>.</summary>
internal static class AlertSql
{
    private const string Columns = "id, rule, metric, severity, group_labels, status, value, threshold, comparison, calls, window_s, started_at, fired_at, ended_at, last_notified_at, worst_value";

    public static int Save(DuckDBConnection connection, IReadOnlyList<StoredAlert> alerts, IReadOnlyList<Guid> deleted)
    {
        using var transaction = connection.BeginTransaction();
        foreach (var id in deleted.Concat(alerts.Select(a => a.Id)))
        {
            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM alerts WHERE id = $id";
            delete.Parameters.Add(new DuckDBParameter("id", id));
            delete.ExecuteNonQuery();
        }

        foreach (var a in alerts)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO alerts ({Columns}) VALUES ($id, $rule, $metric, $severity, $group, $status, $value, $threshold, $comparison, $calls, $window, $started, $fired, $ended, $notified, $worst)";
            insert.Parameters.Add(new DuckDBParameter("id", a.Id));
            insert.Parameters.Add(new DuckDBParameter("rule", a.Rule));
            insert.Parameters.Add(new DuckDBParameter("metric", a.Metric));
            insert.Parameters.Add(new DuckDBParameter("severity", a.Severity));
            insert.Parameters.Add(new DuckDBParameter("group", GroupJson(a.Group)));
            insert.Parameters.Add(new DuckDBParameter("status", a.Status));
            insert.Parameters.Add(new DuckDBParameter("value", Finite(a.Value)));
            insert.Parameters.Add(new DuckDBParameter("threshold", Finite(a.Threshold)));
            insert.Parameters.Add(new DuckDBParameter("comparison", a.Comparison));
            insert.Parameters.Add(new DuckDBParameter("calls", a.Calls));
            insert.Parameters.Add(new DuckDBParameter("window", a.Window.TotalSeconds));
            insert.Parameters.Add(new DuckDBParameter("started", a.StartedAt));
            insert.Parameters.Add(new DuckDBParameter("fired", a.FiredAt));
            insert.Parameters.Add(new DuckDBParameter("ended", a.EndedAt));
            insert.Parameters.Add(new DuckDBParameter("notified", a.LastNotifiedAt));
            insert.Parameters.Add(new DuckDBParameter("worst", Finite(a.WorstValue)));
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return alerts.Count;
    }

    public static StoredAlert[] Query(DuckDBConnection connection, string where, string order, int limit, params DuckDBParameter[] parameters)
    {
        using var command = Command(connection, $"SELECT {Columns} FROM alerts WHERE {where} ORDER BY {order} LIMIT {limit}", parameters);
        using var d = command.ExecuteReader();
        var alerts = new List<StoredAlert>();
        while (d.Read())
        {
            alerts.Add(Read(d));
        }

        return [.. alerts];
    }

    /// <summary>The records in the filter, oldest first, one at a time from one open reader.</summary>
    public static IEnumerable<Core.Records.CallRecord> Calls(DuckDBConnection connection, RecordFilter filter, string? endpoint)
    {
        var parameters = new List<DuckDBParameter>();
        var where = StoreFilter.Where(endpoint is null ? filter : filter with { Endpoint = EndpointScope.All }, parameters) + EndpointCondition(endpoint, parameters);
        using var command = Command(connection, $"SELECT {CallRows.SelectList} FROM calls WHERE {where} ORDER BY {Ticks}, id", parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return CallRows.Read(reader);
        }
    }

    public static HourlyTotals[] Hourly(DuckDBConnection connection, RecordFilter filter, string? endpoint, IReadOnlyList<CallDimension> groupBy)
    {
        var parameters = new List<DuckDBParameter>();
        var where = StoreFilter.Where(endpoint is null ? filter : filter with { Endpoint = EndpointScope.All }, parameters) + EndpointCondition(endpoint, parameters);
        var groups = string.Concat(groupBy.Select((g, i) => $", {Column(g)} AS g{i}"));
        using var command = Command(connection, $"""
            SELECT {Ticks} // {TimeSpan.TicksPerHour} AS hour{groups}, count(*),
                CAST(coalesce(sum(cost_usd) FILTER (cost_priced), 0) AS VARCHAR),
                CAST(coalesce(sum(input_tokens + coalesce(cache_creation_tokens, 0) + coalesce(cache_read_tokens, 0)), 0) AS BIGINT),
                CAST(coalesce(sum(cache_read_tokens), 0) AS BIGINT), CAST(coalesce(sum(output_tokens), 0) AS BIGINT)
            FROM calls WHERE {where} GROUP BY ALL ORDER BY hour
            """, parameters);
        using var d = command.ExecuteReader();
        var rows = new List<HourlyTotals>();
        var n = groupBy.Count;
        while (d.Read())
        {
            var group = new string?[n];
            for (var i = 0; i < n; i++)
            {
                group[i] = Str(d, 1 + i);
            }

            rows.Add(new HourlyTotals(StoreTime.FromTicks(d.GetInt64(0) * TimeSpan.TicksPerHour), group, d.GetInt64(n + 1), Dec(d, n + 2), d.GetInt64(n + 3), d.GetInt64(n + 4), d.GetInt64(n + 5)));
        }

        return [.. rows];
    }

    private static string Column(CallDimension dimension) => dimension switch
    {
        CallDimension.Model => BilledModel,
        CallDimension.Feature => "tag_feature",
        CallDimension.User => "tag_user",
        CallDimension.Tenant => "tag_tenant",
        CallDimension.Session => SessionKey,
        CallDimension.Endpoint => "endpoint",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };

    private static string EndpointCondition(string? endpoint, List<DuckDBParameter> parameters)
    {
        if (endpoint is null)
        {
            return "";
        }

        parameters.Add(new DuckDBParameter("endpoint", endpoint));
        return " AND endpoint = $endpoint";
    }

    // A value the evaluator could not compute (no data) is stored as 0, never as NaN.
    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private static StoredAlert Read(DbDataReader d) => new()
    {
        Id = d.GetGuid(0),
        Rule = d.GetString(1),
        Metric = d.GetString(2),
        Severity = d.GetString(3),
        Group = ReadGroup(d.GetString(4)),
        Status = d.GetString(5),
        Value = d.GetDouble(6),
        Threshold = d.GetDouble(7),
        Comparison = d.GetString(8),
        Calls = d.GetInt64(9),
        Window = TimeSpan.FromSeconds(d.GetDouble(10)),
        StartedAt = d.GetFieldValue<DateTimeOffset>(11),
        FiredAt = Time(d, 12),
        EndedAt = Time(d, 13),
        LastNotifiedAt = Time(d, 14),
        WorstValue = d.GetDouble(15),
    };

    private static string GroupJson(IReadOnlyList<KeyValuePair<string, string?>> group)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (label, value) in group)
            {
                if (value is null)
                {
                    w.WriteNull(label);
                }
                else
                {
                    w.WriteString(label, value);
                }
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static KeyValuePair<string, string?>[] ReadGroup(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, string?>(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null))];
    }
}
