using System.Buffers;

namespace Claudit.Core.Anthropic;

/// <summary>
/// Incremental Server-Sent Events framing (the WHATWG rules Anthropic's streams follow): feed it
/// chunks exactly as they come off the wire, split anywhere, and it hands whole events to a handler.
/// Only the event being assembled is buffered, never the stream; an event larger than
/// <see cref="MaxEventBytes"/> is dropped and counted. It never throws on bad input.
/// </summary>
public sealed class SseParser : IDisposable
{
    public const int MaxEventBytes = 4 * 1024 * 1024;

    /// <summary>Longer than any data line of an event that fits: "data: " plus <see cref="MaxEventBytes"/>.</summary>
    private const int MaxLineBytes = MaxEventBytes + 16;

    private byte[] _line = ArrayPool<byte>.Shared.Rent(512);
    private int _lineLength;
    private byte[] _data = ArrayPool<byte>.Shared.Rent(1024);
    private int _dataLength;
    private bool _hasData;
    private readonly byte[] _eventName = new byte[64];
    private int _eventNameLength;
    private bool _skipLeadingLf;
    private bool _oversized;

    public long BytesSeen { get; private set; }

    public int OversizedEvents { get; private set; }

    /// <summary>Feeds the next chunk of the stream; whole events go to <paramref name="handler"/>.</summary>
    public void Feed(ReadOnlySpan<byte> chunk, ISseEventHandler handler, long timestamp = 0)
    {
        BytesSeen += chunk.Length;
        if (_skipLeadingLf && !chunk.IsEmpty)
        {
            _skipLeadingLf = false;
            if (chunk[0] == (byte)'\n')
            {
                chunk = chunk[1..];
            }
        }

        while (!chunk.IsEmpty)
        {
            var end = chunk.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
            {
                AppendToLine(chunk);
                return;
            }

            if (_lineLength == 0)
            {
                ProcessLine(chunk[..end], handler, timestamp);
            }
            else
            {
                AppendToLine(chunk[..end]);
                ProcessLine(_line.AsSpan(0, _lineLength), handler, timestamp);
                _lineLength = 0;
            }

            if (chunk[end] == (byte)'\r')
            {
                if (end + 1 < chunk.Length)
                {
                    if (chunk[end + 1] == (byte)'\n')
                    {
                        end++;
                    }
                }
                else
                {
                    _skipLeadingLf = true;
                }
            }

            chunk = chunk[(end + 1)..];
        }
    }

    /// <summary>
    /// The stream ended. Per the SSE rules an event not closed by a blank line is discarded;
    /// returns whether such a partial event (or line) was pending. Given a handler, the pending
    /// event is dispatched instead: saved files often lose their final blank line to an editor.
    /// </summary>
    public bool Complete(ISseEventHandler? dispatchPendingTo = null, long timestamp = 0)
    {
        var pending = _lineLength > 0 || _hasData || _eventNameLength > 0;
        if (pending && dispatchPendingTo is not null)
        {
            if (_lineLength > 0)
            {
                ProcessLine(_line.AsSpan(0, _lineLength), dispatchPendingTo, timestamp);
            }

            Dispatch(dispatchPendingTo, timestamp);
        }

        _lineLength = 0;
        ResetEvent();
        return pending;
    }

    private void ProcessLine(ReadOnlySpan<byte> line, ISseEventHandler handler, long timestamp)
    {
        if (line.IsEmpty)
        {
            Dispatch(handler, timestamp);
            return;
        }

        if (line[0] == (byte)':')
        {
            return;
        }

        var colon = line.IndexOf((byte)':');
        ReadOnlySpan<byte> field, value;
        if (colon < 0)
        {
            field = line;
            value = default;
        }
        else
        {
            field = line[..colon];
            value = line[(colon + 1)..];
            if (!value.IsEmpty && value[0] == (byte)' ')
            {
                value = value[1..];
            }
        }

        if (field.SequenceEqual("data"u8))
        {
            AppendData(value);
        }
        else if (field.SequenceEqual("event"u8))
        {
            var n = Math.Min(value.Length, _eventName.Length);
            value[..n].CopyTo(_eventName);
            _eventNameLength = n;
        }

        // "id", "retry" and unknown fields carry nothing Claudit needs.
    }

    private void AppendData(ReadOnlySpan<byte> value)
    {
        if (_oversized)
        {
            return;
        }

        var needed = _dataLength + value.Length + (_hasData ? 1 : 0);
        if (needed > MaxEventBytes)
        {
            _oversized = true;
            return;
        }

        EnsureCapacity(ref _data, needed);
        if (_hasData)
        {
            _data[_dataLength++] = (byte)'\n';
        }

        value.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += value.Length;
        _hasData = true;
    }

    private void Dispatch(ISseEventHandler handler, long timestamp)
    {
        if (_oversized)
        {
            OversizedEvents++;
        }
        else if (_hasData)
        {
            var name = _eventNameLength > 0 ? _eventName.AsSpan(0, _eventNameLength) : "message"u8;
            handler.OnEvent(name, _data.AsSpan(0, _dataLength), timestamp);
        }

        ResetEvent();
    }

    private void ResetEvent()
    {
        _dataLength = 0;
        _hasData = false;
        _eventNameLength = 0;
        _oversized = false;
    }

    private void AppendToLine(ReadOnlySpan<byte> part)
    {
        // A line longer than an event can be is useless; keep the parser's memory bounded by keeping
        // only its head. That head still names the field, and a data line cut there still exceeds
        // MaxEventBytes, so the line is handled exactly as it is when it arrives in one chunk
        // (a long comment is ignored, a long data line drops its event).
        part = part[..Math.Min(part.Length, MaxLineBytes - _lineLength)];
        if (part.IsEmpty)
        {
            return;
        }

        EnsureCapacity(ref _line, _lineLength + part.Length);
        part.CopyTo(_line.AsSpan(_lineLength));
        _lineLength += part.Length;
    }

    private static void EnsureCapacity(ref byte[] buffer, int needed)
    {
        if (needed <= buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
        buffer.CopyTo(bigger, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = bigger;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_line);
        ArrayPool<byte>.Shared.Return(_data);
        _line = [];
        _data = [];
    }
}
