using System.Net.Sockets;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Claudit.Server.Upstream;

/// <summary>
/// The HTTP client the gateway forwards with: YARP's own settings (no proxy, no redirects, no
/// decompression, no cookies), and two changes so the upstream sees the caller's request and the
/// caller sees the upstream's answer. No trace context is propagated: YARP's default replaces the
/// caller's <c>traceparent</c> with the gateway's request activity (and adds one when the caller sent
/// none) whenever an activity exists — as it does once logging is on — so the header is forwarded as
/// the caller sent it, like every other. And each connection is an <see cref="EarlyAnswerStream"/>, so
/// an answer the upstream gives before the request body is all sent (413) reaches the caller.
/// </summary>
internal sealed class UpstreamClientFactory : ForwarderHttpClientFactory
{
    public static HttpMessageInvoker Create() =>
        new UpstreamClientFactory().CreateClient(new ForwarderHttpClientContext { NewConfig = HttpClientConfig.Empty });

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ActivityHeadersPropagator = null;
        handler.ConnectCallback = ConnectAsync;
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new EarlyAnswerStream(new NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
