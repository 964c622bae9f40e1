using System.Net;

namespace Claudit.Instrumentation.Implementation;

/// <summary>
/// Stands in for a streamed response's content so that whoever reads it — the SDK, the application —
/// reads through an <see cref="ObservingReadStream"/>. Headers are the original's; disposing the
/// content unread ends the call as closed by the client.
/// </summary>
internal sealed class ObservedStreamContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly ObservedCall _call;

    public ObservedStreamContent(HttpContent inner, ObservedCall call)
    {
        _inner = inner;
        _call = call;
        foreach (var (name, values) in inner.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync() =>
        new ObservingReadStream(await _inner.ReadAsStreamAsync().ConfigureAwait(false), _call);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new ObservingReadStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _call);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) =>
        new ObservingReadStream(_inner.ReadAsStream(cancellationToken), _call);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _call.Abandon();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
