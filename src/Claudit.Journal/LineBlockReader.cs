using System.Buffers;
namespace Claudit.Journal;

/// <summary>
/// Cuts a stream into blocks of whole lines (about <c>blockSize</c> bytes each, larger only when one
/// line is), so parsers never see half a record. Each block's buffer is rented from the shared pool
/// and belongs to the caller, who returns it with <see cref="LineBlock.Return"/>. A line longer than
/// <c>maxLineBytes</c> (when given: files of one's own are read whole, input from others is not) is never held whole: its bytes are skipped as they arrive (memory stays bounded
/// whatever a sender streams), its first bytes kept for the report, and it is handed to
/// <c>oversized</c> (or counted as skipped) in its place among the lines.
/// </summary>
internal sealed class LineBlockReader(Stream stream, ReadStats stats, int blockSize = 1 << 20, int maxLineBytes = int.MaxValue,
    Action<OversizedLine>? oversized = null, string name = "")
{
    /// <summary>The first bytes of an oversized line that are kept, to show what it was.</summary>
    public const int HeadBytes = 16 * 1024;

    private byte[]? _buffer;
    private int _filled;
    private long _lines;
    private long _offset;
    private bool _ended;
    private bool _skipping;
    private long _skipStart;
    private byte[] _skipHead = [];

    /// <summary>The next block, or null at the end of the stream. The last block may lack a final newline.</summary>
    public async ValueTask<LineBlock?> ReadAsync(CancellationToken cancellationToken)
    {
        while (!_ended)
        {
            var space = Space();
            var read = await stream.ReadAtLeastAsync(space, space.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (Cut(read, space.Length) is { } block)
            {
                return block;
            }
        }

        return Finish();
    }

    /// <summary>The synchronous <see cref="ReadAsync"/>, for dedicated worker threads.</summary>
    public LineBlock? Read()
    {
        while (!_ended)
        {
            var space = Space();
            var read = stream.ReadAtLeast(space.Span, space.Length, throwOnEndOfStream: false);
            if (Cut(read, space.Length) is { } block)
            {
                return block;
            }
        }

        return Finish();
    }

    private Memory<byte> Space()
    {
        _buffer ??= ArrayPool<byte>.Shared.Rent(blockSize);
        if (_filled == _buffer.Length)
        {
            // One line longer than the buffer (but not than maxLineBytes): grow (a record is normally well under 4 KB).
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _filled).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        return _buffer.AsMemory(_filled);
    }

    /// <summary>After a read: the block of whole lines now buffered, or null when more must be read first.</summary>
    private LineBlock? Cut(int read, int wanted)
    {
        stats.AddBytes(read);
        _filled += read;
        _ended = read < wanted; // ReadAtLeast returns less than asked for only at the end of the stream
        var buffer = _buffer!;
        if (_skipping && !SkipRestOfLine(buffer))
        {
            return null;
        }

        var end = _ended ? _filled : buffer.AsSpan(0, _filled).LastIndexOf((byte)'\n') + 1;
        if (end == 0)
        {
            if (!_ended && _filled >= maxLineBytes)
            {
                StartSkipping(buffer);
            }

            return null; // no complete line yet: read more (the buffer grows when full)
        }

        var block = new LineBlock(buffer, end, _lines, _offset);
        _lines += buffer.AsSpan(0, end).Count((byte)'\n');
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(blockSize, _filled - end));
        buffer.AsSpan(end, _filled - end).CopyTo(next);
        _filled -= end;
        _offset += end;
        _buffer = next;
        return block;
    }

    /// <summary>The line so far is too long: keep its head, drop the rest of what is buffered.</summary>
    private void StartSkipping(byte[] buffer)
    {
        _skipping = true;
        _skipStart = _offset;
        _skipHead = buffer.AsSpan(0, Math.Min(_filled, HeadBytes)).ToArray();
        _offset += _filled;
        _filled = 0;
    }

    /// <summary>Drops bytes up to the end of the oversized line; true when it ended and reading lines resumes.</summary>
    private bool SkipRestOfLine(byte[] buffer)
    {
        var nl = buffer.AsSpan(0, _filled).IndexOf((byte)'\n');
        if (nl < 0 && !_ended)
        {
            _offset += _filled;
            _filled = 0;
            return false;
        }

        var length = _offset + (nl < 0 ? _filled : nl) - _skipStart;
        var consumed = nl < 0 ? _filled : nl + 1;
        buffer.AsSpan(consumed, _filled - consumed).CopyTo(buffer);
        _filled -= consumed;
        _offset += consumed;
        _lines++;
        _skipping = false;
        var line = new OversizedLine(_lines, _skipHead, length, _offset, Terminated: nl >= 0);
        _skipHead = [];
        if (oversized is not null)
        {
            oversized(line);
        }
        else
        {
            stats.AddSkipped($"{name}:{line.Line}", line.Problem(maxLineBytes));
        }

        return true;
    }

    private LineBlock? Finish()
    {
        if (_buffer is { Length: > 0 })
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
        return null;
    }
}

/// <summary>
/// Whole lines in a rented buffer; <see cref="FirstLine"/> is the number of lines before it and
/// <see cref="Offset"/> where in the stream its first byte was.
/// </summary>
internal readonly record struct LineBlock(byte[] Buffer, int Length, long FirstLine, long Offset)
{
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}

/// <summary>A line too long to read: its number (1-based), first bytes, length, and the stream offset just past it.</summary>
internal readonly record struct OversizedLine(long Line, byte[] Head, long Length, long EndOffset, bool Terminated)
{
    public string Problem(int maxLineBytes) => $"the line is {Length} bytes long; at most {maxLineBytes} are taken";
}
