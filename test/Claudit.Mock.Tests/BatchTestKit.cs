using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Mock.Tests;

/// <summary>A mock whose clock a test controls, and the Message Batches calls its tests make.</summary>
public sealed class BatchHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 8, 7, 12, 0, 0, TimeSpan.Zero);

    private BatchHost(MockHost host, FakeTimeProvider time)
    {
        Host = host;
        Time = time;
    }

    public MockHost Host { get; }

    public FakeTimeProvider Time { get; }

    public MockClient Client => Host.Client;

    public static async Task<BatchHost> StartAsync(TimeSpan? processing = null, DateTimeOffset? start = null, Func<MockOptions, MockOptions>? configure = null)
    {
        var time = new FakeTimeProvider(start ?? Start);
        var host = await MockHost.StartAsync(o =>
        {
            var options = o with { TimeProvider = time, BatchProcessingTime = processing ?? TimeSpan.FromSeconds(10) };
            return configure is null ? options : configure(options);
        });
        return new BatchHost(host, time);
    }

    public static JsonObject Request(string customId, JsonObject parameters) => new() { ["custom_id"] = customId, ["params"] = parameters.DeepClone() };

    public static string Body(params JsonObject[] requests) => new JsonObject { ["requests"] = new JsonArray(requests) }.ToJsonString();

    public Task<MockReply> CreateAsync(string body) => Client.RequestAsync(HttpMethod.Post, "/v1/messages/batches", body);

    public async Task<JsonElement> CreateOkAsync(params JsonObject[] requests)
    {
        var reply = await CreateAsync(Body(requests));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Json;
    }

    public async Task<JsonElement> GetAsync(string id)
    {
        var reply = await Client.GetAsync("/v1/messages/batches/" + id);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Json;
    }

    /// <summary>The results file, one parsed line per request.</summary>
    public async Task<List<JsonElement>> ResultsAsync(string id)
    {
        var reply = await Client.GetAsync($"/v1/messages/batches/{id}/results");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("application/x-jsonl", reply.ContentType?.MediaType);
        Assert.EndsWith("\n", reply.Text, StringComparison.Ordinal);
        return [.. reply.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.Clone();
        })];
    }

    public static (int Processing, int Succeeded, int Errored, int Canceled, int Expired) Counts(JsonElement batch)
    {
        var c = batch.GetProperty("request_counts");
        return (c.GetProperty("processing").GetInt32(), c.GetProperty("succeeded").GetInt32(), c.GetProperty("errored").GetInt32(),
            c.GetProperty("canceled").GetInt32(), c.GetProperty("expired").GetInt32());
    }

    public static DateTimeOffset At(JsonElement batch, string field) => DateTimeOffset.Parse(batch.GetProperty(field).GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
