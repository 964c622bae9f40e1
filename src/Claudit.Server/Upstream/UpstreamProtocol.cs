using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace Claudit.Server.Upstream;

/// <summary>
/// The HTTP version the gateway asks of its upstream. By default YARP's: HTTP/2 when TLS negotiates it (ALPN,
/// as api.anthropic.com does), else HTTP/1.1 — so over cleartext every concurrent call holds a connection of
/// its own. With <see cref="GatewayOptions.UpstreamHttp2"/>, HTTP/2 exactly: over cleartext with prior knowledge
/// (h2c), calls multiplexed over a few connections (YARP's client opens another when one reaches the server's
/// stream limit), and no fallback to HTTP/1.1.
/// </summary>
internal static class UpstreamProtocol
{
    /// <summary>An idle stream is cut after this long (a paced answer may pause, never for minutes).</summary>
    private static readonly TimeSpan ActivityTimeout = TimeSpan.FromMinutes(10);

    public static ForwarderRequestConfig ForwarderConfig(bool http2) => http2
        ? new ForwarderRequestConfig { ActivityTimeout = ActivityTimeout, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact }
        : new ForwarderRequestConfig { ActivityTimeout = ActivityTimeout };

    /// <summary>The version a request of the gateway's own to the upstream (the health probe) is sent with.</summary>
    public static void Apply(HttpRequestMessage request, bool http2)
    {
        if (http2)
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
    }
}
