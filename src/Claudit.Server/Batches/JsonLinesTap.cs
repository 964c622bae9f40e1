using Claudit.Core.Capture;

namespace Claudit.Server.Batches;

/// <summary>Called with each complete line (without its line break) of a JSON Lines body as it passes.</summary>
internal delegate void JsonLineHandler(ReadOnlySpan<byte> line);

/// <summary>
/// Passes a JSON Lines body (a batch's results file, which may be large) to the client byte for byte and
/// at once, and hands each line to a handler as soon as its line break has passed. Only the line being
/// read is held: a line longer than the cap is skipped (and counted), never buffered whole.
/// </summary>
internal sealed class JsonLinesTap(Stream inner, long maxLineBytes, JsonLineHandler onLine) : StandInStream(readable: false)
{
    private readonly CaptureBuffer _partial = new(maxLineBytes);

    /// <summary>Lines handed to the handler.</summary>
    public long Lines { get; private set; }

    /// <summary>Lines longer than the cap, skipped.</summary>
    public long Oversized { get; private set; }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Observe(buffer.Span);
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Observe(buffer.AsSpan(offset, count));
        inner.Write(buffer, offset, count);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    /// <summary>The body ended: a last line without a line break is a line too.</summary>
    public void Finish()
    {
        if (_partial.Overflowed)
        {
            Oversized++;
        }
        else if (_partial.Length > 0)
        {
            Emit(_partial.Span);
        }

        _partial.Clear();
    }

    private void Observe(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty)
        {
            var end = chunk.IndexOf((byte)'\n');
            if (end < 0)
            {
                _partial.Append(chunk);
                return;
            }

            if (_partial.Length == 0 && !_partial.Overflowed)
            {
                Emit(chunk[..end]); // the whole line is in this chunk: no copy
            }
            else
            {
                _partial.Append(chunk[..end]);
                if (_partial.Overflowed)
                {
                    Oversized++;
                }
                else
                {
                    Emit(_partial.Span);
                }

                _partial.Clear();
            }

            chunk = chunk[(end + 1)..];
        }
    }

    private void Emit(ReadOnlySpan<byte> line)
    {
        line = line.TrimEnd((byte)'\r');
        if (line.IsEmpty)
        {
            return;
        }

        Lines++;
        onLine(line);
    }

    protected override void Dispose(bool disposing)
    {
        _partial.Dispose();
        base.Dispose(disposing);
    }
}
