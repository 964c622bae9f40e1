using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Journal;

/// <summary>Cuts a block of whole JSON lines into records; lines that are not records are skipped and counted.</summary>
internal static class JsonlBlockParser
{
    public static void Parse<TState>(ReadOnlySpan<byte> block, string name, long firstLine, Func<long>? linesBefore, Utf8StringPool pool,
        CallRecordReadOptions options, ReadStats stats, TState state, Action<TState, CallRecord> add)
    {
        var lineNumber = firstLine;
        long records = 0;
        while (!block.IsEmpty)
        {
            var nl = block.IndexOf((byte)'\n');
            var line = nl < 0 ? block : block[..nl];
            block = nl < 0 ? default : block[(nl + 1)..];
            lineNumber++;
            line = line.TrimEnd((byte)'\r');
            if (line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
            {
                continue;
            }

            if (CallRecordJsonReader.TryRead(line, pool, options, out var record, out var error))
            {
                add(state, record!);
                records++;
            }
            else
            {
                // linesBefore: the lines ahead of this part of the file, counted only when a line must be named.
                stats.AddSkipped($"{name}:{lineNumber + (linesBefore?.Invoke() ?? 0)}", error);
            }
        }

        stats.AddRecords(records);
    }
}
