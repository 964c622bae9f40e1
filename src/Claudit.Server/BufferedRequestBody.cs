using System.Buffers;

namespace Claudit.Server;

/// <summary>
/// A request body read whole before it is forwarded, into a pooled buffer: a call that policies judge is
/// judged by its body (model, <c>max_tokens</c>, size), so the body must be in hand first. The forwarded
/// body is then read from the buffer. Returned to the pool when the call is over.
/// </summary>
internal sealed class BufferedRequestBody : IDisposable
{
    private const int FirstChunk = 16 * 1024;
    private byte[]? _buffer;
    private int _length;

    private BufferedRequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    /// <summary>A fresh read-only stream over the body, for the proxy to forward.</summary>
    public Stream OpenRead() => new MemoryStream(_buffer!, 0, _length, writable: false);

    /// <summary>The whole body, or null when it is larger than <paramref name="maxBytes"/> (nothing more is read then).</summary>
    public static async Task<BufferedRequestBody?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes, Math.Max(request.ContentLength ?? FirstChunk, 1)));
        var length = 0;
        try
        {
            while (true)
            {
                var capacity = Math.Min(buffer.Length, maxBytes);
                if (length == capacity)
                {
                    if (capacity == maxBytes)
                    {
                        // Full at the cap: one byte more means too large.
                        var probe = new byte[1];
                        if (await request.Body.ReadAsync(probe, cancellationToken).ConfigureAwait(false) > 0)
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            return null;
                        }

                        break;
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes, (long)buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                    continue;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length, capacity - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new BufferedRequestBody(buffer, length);
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
