using System.Collections.Concurrent;
using Claudit.Core.Records;
using Claudit.Core.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Claudit.Instrumentation.Tests;

/// <summary>
/// A stand-in for the Claudit server's <c>/api/ingest</c> as agreed: JSON lines in, each read with
/// Core's <see cref="CallRecordJsonReader"/>; 202 with <c>{"accepted":N}</c>; 401 without the token.
/// </summary>
public sealed class IngestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IngestServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public ConcurrentQueue<CallRecord> Records { get; } = new();

    public ConcurrentQueue<(string? ContentType, string? Token, int Lines)> Posts { get; } = new();

    public static async Task<IngestServer> StartAsync(string? token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        IngestServer? server = null;
        app.MapPost("/api/ingest", async (HttpContext context) =>
        {
            var sentToken = context.Request.Headers["Claudit-Token"].FirstOrDefault();
            if (token is not null && sentToken != token)
            {
                return Results.StatusCode(401);
            }

            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var lines = body.ToArray().AsMemory();
            var accepted = 0;
            while (!lines.IsEmpty)
            {
                var end = lines.Span.IndexOf((byte)'\n');
                var line = end < 0 ? lines : lines[..end];
                lines = end < 0 ? default : lines[(end + 1)..];
                if (line.IsEmpty)
                {
                    continue;
                }

                Assert.True(CallRecordJsonReader.TryRead(line.Span, out var record, out var error), error);
                server!.Records.Enqueue(record!);
                accepted++;
            }

            server!.Posts.Enqueue((context.Request.ContentType, sentToken, accepted));
            return Results.Json(new Dictionary<string, int> { ["accepted"] = accepted }, statusCode: 202);
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new IngestServer(app, url);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
