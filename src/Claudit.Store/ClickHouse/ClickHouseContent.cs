using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Claudit.Core.Records;

namespace Claudit.Store.ClickHouse;

/// <summary>The <c>call_content</c> table (deploy/clickhouse/003-call-content.sql): captured content in, stored content out.</summary>
internal static class ClickHouseContent
{
    /// <summary>Ids asked about per query: a query's text stays well under ClickHouse's max_query_size (256 KiB).</summary>
    private const int IdsPerQuery = 2000;

    public static async Task AppendAsync(ClickHouseHttp http, IReadOnlyList<CallContent> contents, CancellationToken cancellationToken)
    {
        if (contents.Count == 0)
        {
            return;
        }

        var stored = await ReadAsync(http, [.. contents.Select(c => c.CallId)], cancellationToken).ConfigureAwait(false);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var content in contents.Where(c => !stored.ContainsKey(c.CallId)).DistinctBy(c => c.CallId))
        {
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("call_id"u8, content.CallId);
                w.WriteString("start_time"u8, content.StartTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                w.WriteNumber("ticks"u8, ClickHouseSql.ToTicks(content.StartTime));
                if (content.Model is { } model) w.WriteString("model"u8, model); else w.WriteNull("model"u8);
                w.WriteString("messages"u8, CallContentJson.MessagesText(content.Messages));
                if (content.Output is { } output) w.WriteString("output"u8, output); else w.WriteNull("output"u8);
                w.WriteEndObject();
            }

            buffer.Write("\n"u8);
        }

        if (buffer.WrittenCount > 0)
        {
            await http.InsertAsync("call_content", buffer.WrittenSpan.ToArray(), buffer.WrittenCount, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<Dictionary<Guid, CallContent>> ReadAsync(ClickHouseHttp http, IReadOnlyCollection<Guid> callIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<Guid, CallContent>();
        foreach (var chunk in callIds.Distinct().Chunk(IdsPerQuery))
        {
            var ids = string.Join(", ", chunk.Select(id => $"'{id}'"));
            var rows = await http.RowsAsync($"SELECT toString(call_id), ticks, model, messages, output FROM call_content WHERE call_id IN ({ids})", cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                var id = Guid.Parse(row[0]!);
                found[id] = new CallContent
                {
                    CallId = id,
                    StartTime = new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + ClickHouseText.Long(row[1]), TimeSpan.Zero),
                    Model = row[2],
                    Messages = CallContentJson.ReadMessages(row[3] ?? "[]"),
                    Output = row[4],
                };
            }
        }

        return found;
    }
}
