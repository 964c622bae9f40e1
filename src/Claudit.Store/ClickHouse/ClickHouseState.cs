using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using static Claudit.Store.ClickHouse.ClickHouseText;

namespace Claudit.Store.ClickHouse;

/// <summary>
/// The <c>state</c> table: small documents (alerts, virtual keys, batches, reconciliations) by kind and key,
/// the newest version of each winning, a deletion being a newer version marked deleted. ClickHouse has no
/// UPDATE worth the name; a versioned row per change, read with <c>argMax</c>, is its idiom. Versions are
/// 100 ns ticks of the writer's clock, kept increasing within a process.
/// </summary>
internal sealed class ClickHouseState(ClickHouseHttp http)
{
    private long _lastVersion;

    public async Task PutAsync<T>(string kind, IEnumerable<(string Key, T? Doc)> docs, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            foreach (var (key, doc) in docs)
            {
                w.Reset(buffer);
                w.WriteStartObject();
                w.WriteString("kind"u8, kind);
                w.WriteString("key"u8, key);
                w.WriteNumber("version"u8, NextVersion());
                w.WriteNumber("deleted"u8, doc is null ? 1 : 0);
                w.WriteString("doc"u8, doc is null ? "" : JsonSerializer.Serialize(doc, type));
                w.WriteEndObject();
                w.Flush();
                buffer.Write("\n"u8);
            }
        }

        if (buffer.WrittenCount > 0)
        {
            await http.InsertAsync("state", buffer.WrittenSpan.ToArray(), buffer.WrittenCount, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The live documents of a kind (optionally only the key given).</summary>
    public async Task<List<T>> GetAsync<T>(string kind, JsonTypeInfo<T> type, CancellationToken cancellationToken, string? key = null)
    {
        var rows = await http.RowsAsync($"""
            SELECT argMax(doc, version) AS d FROM state WHERE kind = {Literal(kind)}{(key is null ? "" : $" AND key = {Literal(key)}")}
            GROUP BY key HAVING argMax(deleted, version) = 0
            """, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => JsonSerializer.Deserialize(r[0]!, type)!)];
    }

    private long NextVersion()
    {
        var now = DateTimeOffset.UtcNow.UtcTicks;
        while (true)
        {
            var last = Interlocked.Read(ref _lastVersion);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastVersion, next, last) == last)
            {
                return next;
            }
        }
    }
}
