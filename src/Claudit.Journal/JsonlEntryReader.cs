using System.Runtime.CompilerServices;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Journal;

/// <summary>
/// Streams JSONL back line by line with each line's fate (<see cref="JsonlEntry"/>): the record, or why
/// the line is not one — for readers that must answer for every line (ingest names the bad ones, the
/// store's catch-up records how far it got). Lines longer than <see cref="RecordValidator.MaxLineBytes"/>
/// are refused without being held in memory.
/// </summary>
public static class JsonlEntryReader
{
    public static async IAsyncEnumerable<JsonlEntry> ReadAsync(Stream stream, ReadStats stats, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pool = new Utf8StringPool();
        var pending = new List<JsonlEntry>();
        var reader = new LineBlockReader(stream, stats, maxLineBytes: RecordValidator.MaxLineBytes, oversized: line =>
            pending.Add(new JsonlEntry(line.Line, line.EndOffset, null, line.Problem(RecordValidator.MaxLineBytes), line.Head, line.Length, line.Terminated)));
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } block)
        {
            try
            {
                var records = JsonlBlockParser.ParseLines(block.Span, block.FirstLine, pool, CallRecordReadOptions.Full, RecordValidator.MaxLineBytes, (pending, block.Offset),
                    static (s, line, end, terminated, text, record, error) => s.pending.Add(new JsonlEntry(line, s.Offset + end, record, error,
                        record is null ? text[..Math.Min(text.Length, LineBlockReader.HeadBytes)].ToArray() : ReadOnlyMemory<byte>.Empty, text.Length, terminated)));
                stats.AddRecords(records);
            }
            finally
            {
                block.Return();
            }

            foreach (var entry in pending)
            {
                yield return entry;
            }

            pending.Clear();
        }

        foreach (var entry in pending)
        {
            yield return entry;
        }
    }
}
