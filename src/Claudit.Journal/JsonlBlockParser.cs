using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Journal;

/// <summary>One line of a block as parsed: its number (1-based), where it ends in the block, whether a newline ended it, its bytes, and the record or why it is not one.</summary>
internal delegate void ParsedLineHandler<TState>(TState state, long line, int endInBlock, bool terminated, ReadOnlySpan<byte> text, CallRecord? record, string? error);

/// <summary>Reads one line into <paramref name="state"/>: true when it was a record, else false with the reason.</summary>
internal delegate bool LineFold<TState>(TState state, ReadOnlySpan<byte> line, Utf8StringPool pool, out string? error);

/// <summary>Cuts a block of whole JSON lines into records; lines that are not records are skipped and counted.</summary>
internal static class JsonlBlockParser
{
    /// <summary>The fold that reads each line as a <see cref="CallRecord"/> and hands it to <paramref name="add"/>.</summary>
    public static LineFold<TState> RecordFold<TState>(CallRecordReadOptions options, Action<TState, CallRecord> add) =>
        (TState state, ReadOnlySpan<byte> line, Utf8StringPool pool, out string? error) =>
        {
            if (!CallRecordJsonReader.TryRead(line, pool, options, out var record, out error))
            {
                return false;
            }

            add(state, record!);
            return true;
        };

    public static void Parse<TState>(ReadOnlySpan<byte> block, string name, long firstLine, Func<long>? linesBefore, Utf8StringPool pool,
        CallRecordReadOptions options, ReadStats stats, TState state, Action<TState, CallRecord> add) =>
        Parse(block, name, firstLine, linesBefore, pool, stats, state, RecordFold(options, add));

    /// <summary>Every non-blank line of the block folded into <paramref name="state"/>; lines that are not records skipped and counted.</summary>
    public static void Parse<TState>(ReadOnlySpan<byte> block, string name, long firstLine, Func<long>? linesBefore, Utf8StringPool pool,
        ReadStats stats, TState state, LineFold<TState> fold)
    {
        var lines = new BlockLines(block, firstLine);
        long records = 0;
        while (lines.Next(out var line))
        {
            if (fold(state, line, pool, out var error))
            {
                records++;
            }
            else
            {
                // linesBefore: the lines ahead of this part of the file, counted only when a line must be named.
                stats.AddSkipped($"{name}:{lines.Number + (linesBefore?.Invoke() ?? 0)}", error);
            }
        }

        stats.AddRecords(records);
    }

    /// <summary>Every non-blank line of the block to <paramref name="handle"/>, parsed; returns how many were records.</summary>
    public static long ParseLines<TState>(ReadOnlySpan<byte> block, long firstLine, Utf8StringPool pool, CallRecordReadOptions options, int maxLineBytes,
        TState state, ParsedLineHandler<TState> handle)
    {
        var lines = new BlockLines(block, firstLine);
        long records = 0;
        while (lines.Next(out var line))
        {
            if (line.Length > maxLineBytes)
            {
                handle(state, lines.Number, lines.End, lines.Terminated, line, null, $"the line is {line.Length} bytes long; at most {maxLineBytes} are taken");
            }
            else if (CallRecordJsonReader.TryRead(line, pool, options, out var record, out var error))
            {
                handle(state, lines.Number, lines.End, lines.Terminated, line, record, null);
                records++;
            }
            else
            {
                handle(state, lines.Number, lines.End, lines.Terminated, line, null, error);
            }
        }

        return records;
    }

    /// <summary>The non-blank lines of a block, in order, each without its line end (LF or CRLF).</summary>
    private ref struct BlockLines(ReadOnlySpan<byte> block, long firstLine)
    {
        private readonly ReadOnlySpan<byte> _block = block;
        private int _start;

        /// <summary>The current line's number (1-based).</summary>
        public long Number { get; private set; } = firstLine;

        /// <summary>Where the current line (and its line end) ends in the block.</summary>
        public int End { get; private set; }

        /// <summary>Whether a newline ended the current line.</summary>
        public bool Terminated { get; private set; }

        public bool Next(out ReadOnlySpan<byte> line)
        {
            while (_start < _block.Length)
            {
                var rest = _block[_start..];
                var nl = rest.IndexOf((byte)'\n');
                line = nl < 0 ? rest : rest[..nl];
                _start += nl < 0 ? rest.Length : nl + 1;
                End = _start;
                Terminated = nl >= 0;
                Number++;
                line = line.TrimEnd((byte)'\r');
                if (line.IndexOfAnyExcept((byte)' ', (byte)'\t') >= 0)
                {
                    return true;
                }
            }

            line = default;
            return false;
        }
    }
}
