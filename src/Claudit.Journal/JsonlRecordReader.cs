using System.Buffers;
using System.Runtime.CompilerServices;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Journal;

/// <summary>
/// Streams records back from JSONL (Claudit's format or tracer.py's), one line at a time, without
/// loading the file. Corrupt or truncated lines are skipped and counted in <see cref="ReadStats"/>.
/// </summary>
public static class JsonlRecordReader
{
    public static async IAsyncEnumerable<CallRecord> ReadAsync(Stream stream, string name, ReadStats stats,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pool = new Utf8StringPool();
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var filled = 0;
            long lineNumber = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    // One line longer than the buffer: grow (a record is normally well under 4 KB).
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                stats.AddBytes(read);
                filled += read;
                var end = read == 0 ? filled : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                var records = new List<CallRecord>();
                lineNumber = JsonlBlockParser.Parse(buffer.AsSpan(0, end), name, lineNumber, pool, CallRecordReadOptions.Full, stats, records, static (list, r) => list.Add(r));
                foreach (var record in records)
                {
                    yield return record;
                }

                if (read == 0)
                {
                    yield break;
                }

                buffer.AsSpan(end, filled - end).CopyTo(buffer);
                filled -= end;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static async IAsyncEnumerable<CallRecord> ReadFileAsync(string path, ReadStats stats,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var file = JsonlFiles.OpenRead(path);
        await foreach (var record in ReadAsync(file, path, stats, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }
}
