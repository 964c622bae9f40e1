using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Claudit.Benchmarks;

/// <summary>
/// The baseline the gateway is measured against: YARP's <c>MapForwarder</c> on Kestrel with an empty
/// transformer and nothing else — no capture, journal, store or metrics. Same Kestrel and forwarder
/// settings as <c>claudit serve</c> (loopback, no server header, no body size limit); <c>h2c</c>: HTTP/2 with prior
/// knowledge to the upstream, as <c>claudit serve --upstream-http2</c> (the same request config).
/// </summary>
internal static class BareForwarder
{
    public static async Task RunAsync(int port, string upstream, bool http2)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddHttpForwarder();
        await using var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapForwarder("/v1/{**rest}", upstream.TrimEnd('/'), Claudit.Server.Upstream.UpstreamProtocol.ForwarderConfig(http2), HttpTransformer.Empty);
        await app.RunAsync();
    }
}
