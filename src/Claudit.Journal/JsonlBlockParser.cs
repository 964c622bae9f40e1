using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Journal;

/// <summary>One line of a block as parsed: its number (1-based), where it ends in the block, whether a newline ended it, its bytes, and the record or why it is not one.</summary>
internal delegate void ParsedLineHandler<TState>(TState state, long line, int endInBlock, bool terminated, ReadOnlySpan<byte> text, CallRecord? record, string? error);

/// <summary>Cuts a block of whole JSON lines into records; lines that are not records are skipped and counted.</summary>
internal static class JsonlBlockParser
{
    public static void Parse<TState>(ReadOnlySpan<byte> block, string name, long firstLine, Func<long>? linesBefore, Utf8StringPool pool,
        CallRecordReadOptions options, ReadStats stats, TState state, Action<TState, CallRecord> add)
    {
        var records = ParseLines(block, firstLine, pool, options, int.MaxValue, (name, linesBefore, stats, state, add),
            static (s, line, _, _, _, record, error) =>
            {
                if (record is not null)
                {
                    s.add(s.state, record);
                }
                else
                {
                    // linesBefore: the lines ahead of this part of the file, counted only when a line must be named.
                    s.stats.AddSkipped($"{s.name}:{line + (s.linesBefore?.Invoke() ?? 0)}", error);
                }
            });
        stats.AddRecords(records);
    }

    /// <summary>Every non-blank line of the block to <paramref name="handle"/>, parsed; returns how many were records.</summary>
    public static long ParseLines<TState>(ReadOnlySpan<byte> block, long firstLine, Utf8StringPool pool, CallRecordReadOptions options, int maxLineBytes,
        TState state, ParsedLineHandler<TState> handle)
    {
        var lineNumber = firstLine;
        var start = 0;
        long records = 0;
        while (start < block.Length)
        {
            var rest = block[start..];
            var nl = rest.IndexOf((byte)'\n');
            var line = nl < 0 ? rest : rest[..nl];
            start += nl < 0 ? rest.Length : nl + 1;
            lineNumber++;
            line = line.TrimEnd((byte)'\r');
            if (line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
            {
                continue;
            }

            if (line.Length > maxLineBytes)
            {
                handle(state, lineNumber, start, nl >= 0, line, null, $"the line is {line.Length} bytes long; at most {maxLineBytes} are taken");
            }
            else if (CallRecordJsonReader.TryRead(line, pool, options, out var record, out var error))
            {
                handle(state, lineNumber, start, nl >= 0, line, record, null);
                records++;
            }
            else
            {
                handle(state, lineNumber, start, nl >= 0, line, null, error);
            }
        }

        return records;
    }
}
