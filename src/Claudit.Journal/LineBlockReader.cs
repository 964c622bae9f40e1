using System.Buffers;

namespace Claudit.Journal;

/// <summary>
/// Cuts a stream into blocks of whole lines (about <c>blockSize</c> bytes each, larger only when one
/// line is), so parsers never see half a record. Each block's buffer is rented from the shared pool
/// and belongs to the caller, who returns it with <see cref="LineBlock.Return"/>.
/// </summary>
internal sealed class LineBlockReader(Stream stream, ReadStats stats, int blockSize = 1 << 20)
{
    private byte[]? _buffer;
    private int _filled;
    private long _lines;
    private bool _ended;

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
            // One line longer than the buffer: grow (a record is normally well under 4 KB).
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
        var end = _ended ? _filled : buffer.AsSpan(0, _filled).LastIndexOf((byte)'\n') + 1;
        if (end == 0)
        {
            return null; // no complete line yet: read more (the buffer grows when full)
        }

        var block = new LineBlock(buffer, end, _lines);
        _lines += buffer.AsSpan(0, end).Count((byte)'\n');
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(blockSize, _filled - end));
        buffer.AsSpan(end, _filled - end).CopyTo(next);
        _filled -= end;
        _buffer = next;
        return block;
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

/// <summary>Whole lines in a rented buffer; <see cref="FirstLine"/> is the number of lines before it.</summary>
internal readonly record struct LineBlock(byte[] Buffer, int Length, long FirstLine)
{
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}
