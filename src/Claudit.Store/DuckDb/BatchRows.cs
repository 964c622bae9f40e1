using System.Data.Common;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using DuckDB.NET.Data;
using static Claudit.Store.DuckDb.StoreSql;

namespace Claudit.Store.DuckDb;

/// <summary>A <see cref="BatchEntry"/> as a row of the <c>batches</c> table (Schema/005) and back.</summary>
internal static class BatchRows
{
    private const string Columns = """
        id, created_at, expires_at, ended_at, processing_status, request_count, succeeded, errored, canceled, expired,
        created_through_gateway, create_call_id, tag_user, tag_tenant, tag_feature, tag_session, tag_conversation, properties,
        first_seen, last_seen, results_read_at, results_records
        """;

    public static void Save(DuckDBConnection connection, BatchEntry b)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT OR REPLACE INTO batches ({Columns})
            VALUES ($id, $created, $expires, $ended, $status, $requests, $succeeded, $errored, $canceled, $expired,
                $gateway, $call, $user, $tenant, $feature, $session, $conversation, $properties,
                $first, $last, $read, $records)
            """;
        var s = b.Batch;
        Add("id", s.Id);
        Add("created", s.CreatedAt);
        Add("expires", s.ExpiresAt);
        Add("ended", s.EndedAt);
        Add("status", s.ProcessingStatus);
        Add("requests", s.RequestCount);
        Add("succeeded", s.Succeeded);
        Add("errored", s.Errored);
        Add("canceled", s.Canceled);
        Add("expired", s.Expired);
        Add("gateway", b.CreatedThroughGateway);
        Add("call", b.CreateCallId);
        Add("user", b.Tags.User);
        Add("tenant", b.Tags.Tenant);
        Add("feature", b.Tags.Feature);
        Add("session", b.Tags.Session);
        Add("conversation", b.Tags.Conversation);
        Add("properties", StoreJson.Properties(b.Tags.Properties));
        Add("first", b.FirstSeen);
        Add("last", b.LastSeen);
        Add("read", b.ResultsReadAt);
        Add("records", b.ResultsRecords);
        command.ExecuteNonQuery();

        void Add(string name, object? value) => command.Parameters.Add(new DuckDBParameter(name, value));
    }

    public static BatchEntry? Get(DuckDBConnection connection, string id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM batches WHERE id = $id";
        command.Parameters.Add(new DuckDBParameter("id", id));
        using var d = command.ExecuteReader();
        return d.Read() ? Read(d) : null;
    }

    public static BatchEntry[] List(DuckDBConnection connection, int limit)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM batches ORDER BY coalesce(created_at, first_seen) DESC, id LIMIT {limit}";
        using var d = command.ExecuteReader();
        var batches = new List<BatchEntry>();
        while (d.Read())
        {
            batches.Add(Read(d));
        }

        return [.. batches];
    }

    private static BatchEntry Read(DbDataReader d) => new()
    {
        Batch = new MessageBatchSnapshot
        {
            Id = d.GetString(0),
            CreatedAt = Time(d, 1),
            ExpiresAt = Time(d, 2),
            EndedAt = Time(d, 3),
            ProcessingStatus = Str(d, 4),
            RequestCount = Long(d, 5),
            Succeeded = d.GetInt64(6),
            Errored = d.GetInt64(7),
            Canceled = d.GetInt64(8),
            Expired = d.GetInt64(9),
        },
        CreatedThroughGateway = d.GetBoolean(10),
        CreateCallId = d.IsDBNull(11) ? null : d.GetGuid(11),
        Tags = new CallTags
        {
            User = Str(d, 12),
            Tenant = Str(d, 13),
            Feature = Str(d, 14),
            Session = Str(d, 15),
            Conversation = Str(d, 16),
            Properties = StoreJson.ReadProperties(Str(d, 17)),
        },
        FirstSeen = d.GetFieldValue<DateTimeOffset>(18),
        LastSeen = d.GetFieldValue<DateTimeOffset>(19),
        ResultsReadAt = Time(d, 20),
        ResultsRecords = d.GetInt64(21),
    };
}
