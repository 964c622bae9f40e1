using Claudit.Core.Records;
using DuckDB.NET.Data;

namespace Claudit.Store.DuckDb;

/// <summary>The <c>call_content</c> table (Schema/012): captured content in, stored content out.</summary>
internal static class ContentRows
{
    public static void Append(DuckDBConnection connection, IReadOnlyList<CallContent> contents)
    {
        using var transaction = connection.BeginTransaction();
        foreach (var content in contents)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT OR IGNORE INTO call_content (call_id, start_time, model, messages, output) VALUES ($id, $start, $model, $messages, $output)";
            insert.Parameters.Add(new DuckDBParameter("id", content.CallId));
            insert.Parameters.Add(new DuckDBParameter("start", content.StartTime.UtcDateTime));
            insert.Parameters.Add(new DuckDBParameter("model", (object?)content.Model ?? DBNull.Value));
            insert.Parameters.Add(new DuckDBParameter("messages", CallContentJson.MessagesText(content.Messages)));
            insert.Parameters.Add(new DuckDBParameter("output", (object?)content.Output ?? DBNull.Value));
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public static Dictionary<Guid, CallContent> Read(DuckDBConnection connection, IReadOnlyCollection<Guid> callIds)
    {
        var found = new Dictionary<Guid, CallContent>();
        if (callIds.Count == 0)
        {
            return found;
        }

        using var command = connection.CreateCommand();
        // Ids are Guids, written as literals: a list parameter is not offered for IN by DuckDB.NET.
        command.CommandText = $"SELECT call_id, epoch_us(start_time), model, messages, output FROM call_content WHERE call_id IN ({string.Join(", ", callIds.Select(id => $"'{id:D}'"))})";
        using var d = command.ExecuteReader();
        while (d.Read())
        {
            var id = d.GetGuid(0);
            found[id] = new CallContent
            {
                CallId = id,
                StartTime = DateTimeOffset.UnixEpoch.AddTicks(d.GetInt64(1) * 10),
                Model = d.IsDBNull(2) ? null : d.GetString(2),
                Messages = CallContentJson.ReadMessages(d.GetString(3)),
                Output = d.IsDBNull(4) ? null : d.GetString(4),
            };
        }

        return found;
    }
}
