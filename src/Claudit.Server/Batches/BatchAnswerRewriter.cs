using System.Text;
using System.Text.Json;
using Claudit.Core.Anthropic;
using Claudit.Core.Capture;

namespace Claudit.Server.Batches;

/// <summary>
/// Holds a Message Batches answer (create, retrieve, list, cancel: small JSON) until the proxy has written
/// all of it, then writes it on with every <c>results_url</c> pointed at the gateway, so that an SDK reading
/// the results reads them through it — with a <c>Content-Length</c> that fits the rewritten body (the headers
/// have not gone out: nothing reaches the client before <see cref="CompleteAsync"/>). An answer larger than
/// the capture cap is passed on as it is, from the moment it passes the cap.
/// </summary>
internal sealed class BatchAnswerRewriter(Stream inner, HttpResponse response, long maxBytes) : StandInStream(readable: false)
{
    private readonly CaptureBuffer _held = new(maxBytes);
    private bool _passingThrough;

    /// <summary>The batches the answer described (after <see cref="CompleteAsync"/>).</summary>
    public List<MessageBatchSnapshot> Batches { get; private set; } = [];

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_passingThrough)
        {
            if (_held.Length + (long)buffer.Length <= maxBytes)
            {
                _held.Append(buffer.Span);
                return;
            }

            // Too large to hold (the cap is the capture's: megabytes, far above any batch page): what was held
            // goes on as it came, and so does the rest; this answer is not rewritten.
            _passingThrough = true;
            if (_held.Length > 0)
            {
                await inner.WriteAsync(_held.Span.ToArray(), cancellationToken);
            }
        }

        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => _passingThrough ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Writes the held answer on, its <c>results_url</c>s replaced with <paramref name="gatewayOrigin"/> + their path from <c>/v1/</c>.</summary>
    public async Task CompleteAsync(string gatewayOrigin, CancellationToken cancellationToken)
    {
        if (_passingThrough || _held.Length == 0)
        {
            return;
        }

        var body = _held.Span.ToArray();
        var (batches, urls) = MessageBatchReader.Read(body);
        Batches = batches;
        var rewritten = urls.Count == 0 ? body : Rewrite(body, urls, gatewayOrigin);
        if (!response.HasStarted)
        {
            response.ContentLength = rewritten.Length;
        }

        await inner.WriteAsync(rewritten, cancellationToken);
    }

    private static byte[] Rewrite(byte[] body, List<Range> urls, string gatewayOrigin)
    {
        using var output = new MemoryStream(body.Length + (urls.Count * 64));
        var at = 0;
        foreach (var range in urls)
        {
            var (start, length) = range.GetOffsetAndLength(body.Length);
            output.Write(body, at, start - at);
            var original = JsonSerializer.Deserialize<string>(body.AsSpan(start, length)) ?? "";
            output.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(ThroughGateway(original, gatewayOrigin))));
            at = start + length;
        }

        output.Write(body, at, body.Length - at);
        return output.ToArray();
    }

    /// <summary>
    /// The URL's path from <c>/v1/</c> on, at the gateway: the gateway forwards <c>/v1/*</c> to the upstream as
    /// it came, so this is the same resource, read through it. A URL with no <c>/v1/</c> is left alone.
    /// </summary>
    internal static string ThroughGateway(string resultsUrl, string gatewayOrigin)
    {
        var v1 = resultsUrl.IndexOf("/v1/", StringComparison.Ordinal);
        return v1 < 0 ? resultsUrl : gatewayOrigin.TrimEnd('/') + resultsUrl[v1..];
    }

    protected override void Dispose(bool disposing)
    {
        _held.Dispose();
        base.Dispose(disposing);
    }
}
