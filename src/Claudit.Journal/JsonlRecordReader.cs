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
        var reader = new LineBlockReader(stream, stats, name: name);
        var records = new List<CallRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } block)
        {
            try
            {
                records.Clear();
                JsonlBlockParser.Parse(block.Span, name, block.FirstLine, null, pool, CallRecordReadOptions.Full, stats, records, static (list, r) => list.Add(r));
            }
            finally
            {
                block.Return();
            }

            foreach (var record in records)
            {
                yield return record;
            }
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
