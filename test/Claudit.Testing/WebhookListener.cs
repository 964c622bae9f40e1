using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Claudit.Testing;

/// <summary>One POST a <see cref="WebhookListener"/> received: its JSON body and when it arrived (a <see cref="Stopwatch"/> timestamp).</summary>
public sealed record ReceivedHook(JsonElement Body, long ReceivedAt, int Attempt, IReadOnlyDictionary<string, string> Headers)
{
    public string? Text(string property) => Body.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}

/// <summary>
/// A real HTTP receiver for notifications: Kestrel on a free loopback port, keeping every POST to
/// <c>/hook</c>. <c>answer</c> decides the status of each attempt (1-based), to make a receiver that
/// fails, then recovers; refused attempts are counted but not kept.
/// </summary>
public sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ReceivedHook> _received = [];
    private int _attempts;

    private WebhookListener(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Every POST so far, accepted or not.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public IReadOnlyList<ReceivedHook> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<WebhookListener> StartAsync(Func<int, int>? answer = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var listener = new WebhookListener(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            var attempt = Interlocked.Increment(ref listener._attempts);
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var status = answer?.Invoke(attempt) ?? 200;
            if (status is >= 200 and < 300)
            {
                var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                lock (listener._received)
                {
                    listener._received.Add(new ReceivedHook(body.RootElement.Clone(), Stopwatch.GetTimestamp(), attempt, headers));
                }
            }

            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        listener.Url = new Uri(new Uri(address), "/hook");
        return listener;
    }

    /// <summary>The first received hook <paramref name="match"/> accepts, waiting up to <paramref name="timeout"/>; fails with what did arrive.</summary>
    public async Task<ReceivedHook> WaitForAsync(Func<ReceivedHook, bool> match, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (Received.FirstOrDefault(match) is { } hook)
            {
                return hook;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"no {what} within {timeout.TotalSeconds}s; received {Received.Count} ({Attempts} attempts): {string.Join("\n", Received.Select(r => r.Body.GetRawText()))}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
