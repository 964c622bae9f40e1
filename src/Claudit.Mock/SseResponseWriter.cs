using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Claudit.Mock;

/// <summary>Writes SSE events (<c>event: X\ndata: {...}\n\n</c>) to a response, flushing when pacing asks for it.</summary>
internal sealed class SseResponseWriter(HttpResponse response) : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private Utf8JsonWriter? _json;

    public void Event(ReadOnlySpan<byte> name, Action<Utf8JsonWriter> data)
    {
        _buffer.Write("event: "u8);
        _buffer.Write(name);
        _buffer.Write("\ndata: "u8);
        _json ??= new Utf8JsonWriter(_buffer);
        _json.Reset(_buffer);
        data(_json);
        _json.Flush();
        _buffer.Write("\n\n"u8);
    }

    public void Ping() => _buffer.Write("event: ping\ndata: {\"type\": \"ping\"}\n\n"u8);

    /// <summary>Sends what is buffered.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount > 0)
        {
            await response.Body.WriteAsync(_buffer.WrittenMemory, cancellationToken);
            _buffer.ResetWrittenCount();
        }

        await response.Body.FlushAsync(cancellationToken);
    }

    public void Dispose() => _json?.Dispose();
}
