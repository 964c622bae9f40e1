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
        _buffer ??= ArrayPool<byte>.Shared.Rent(blockSize);
        while (!_ended)
        {
            if (_filled == _buffer.Length)
            {
                // One line longer than the buffer: grow (a record is normally well under 4 KB).
                var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                _buffer.AsSpan(0, _filled).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }

            // ReadAtLeastAsync returns less than asked for only at the end of the stream.
            var wanted = _buffer.Length - _filled;
            var read = await stream.ReadAtLeastAsync(_buffer.AsMemory(_filled), wanted, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
            stats.AddBytes(read);
            _filled += read;
            _ended = read < wanted;
            var end = _ended ? _filled : _buffer.AsSpan(0, _filled).LastIndexOf((byte)'\n') + 1;
            if (end == 0)
            {
                continue; // no complete line yet: read more (the buffer grows when full)
            }

            var block = new LineBlock(_buffer, end, _lines);
            _lines += _buffer.AsSpan(0, end).Count((byte)'\n');
            var next = ArrayPool<byte>.Shared.Rent(Math.Max(blockSize, _filled - end));
            _buffer.AsSpan(end, _filled - end).CopyTo(next);
            _filled -= end;
            _buffer = next;
            return block;
        }

        ArrayPool<byte>.Shared.Return(_buffer);
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
