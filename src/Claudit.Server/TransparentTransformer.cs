using Yarp.ReverseProxy.Forwarder;

namespace Claudit.Server;

/// <summary>
/// Passes the caller's headers as they came, adding nothing (no X-Forwarded-*: the upstream is
/// Anthropic, which has no use for the caller's addresses). Host is the one exception: it must name
/// the upstream, or its front door would not route the call.
/// </summary>
internal sealed class TransparentTransformer : HttpTransformer
{
    public static TransparentTransformer Instance { get; } = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.Headers.Host = null; // HttpClient then sends the upstream's own host
    }
}
