using Claudit.Core.Capture;

namespace Claudit.Server.Batches;

/// <summary>Called with each complete line (without its line break) of a JSON Lines body as it passes.</summary>
internal delegate void JsonLineHandler(ReadOnlySpan<byte> line);

/// <summary>
/// Passes a JSON Lines body (a batch's results file, which may be large) to the client byte for byte and
/// at once, and hands each line to a handler as soon as its line break has passed. Only the line being
/// read is held: a line longer than the cap is skipped (and counted), never buffered whole.
/// </summary>
internal sealed class JsonLinesTap(Stream inner, long maxLineBytes, JsonLineHandler onLine) : TappedWriteStream(inner)
{
    private readonly CaptureBuffer _partial = new(maxLineBytes);

    /// <summary>Lines handed to the handler.</summary>
    public long Lines { get; private set; }

    /// <summary>Lines longer than the cap, skipped.</summary>
    public long Oversized { get; private set; }

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

    protected override void Observe(ReadOnlySpan<byte> chunk)
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
