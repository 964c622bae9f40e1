using System.Text.Json.Nodes;

namespace Claudit.Mock.Tests;

/// <summary>Same seed and same requests give the same bytes, ids included; another seed gives others.</summary>
public class DeterminismTests
{
    private sealed record Step(string Path, JsonObject Body, string? Fault = null);

    /// <summary>A mixed sequence: plain, streamed, tools, thinking, caching, count_tokens, errors, faults.</summary>
    private static readonly Step[] Sequence =
    [
        new("/v1/messages", Requests.Message("Determinism, plain.")),
        new("/v1/messages", Requests.Message("Determinism, streamed.", stream: true)),
        new("/v1/messages", Requests.Message("Determinism, tools.", stream: true)
            .With("tools", new JsonArray(Requests.WeatherTool(), Requests.ClockTool()))
            .With("tool_choice", new JsonObject { ["type"] = "any" })),
        new("/v1/messages", Requests.Message("Determinism, thinking.", maxTokens: 3000)
            .With("thinking", new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 1024 })),
        new("/v1/messages", Requests.CachedSystem("determinism", 1200)),
        new("/v1/messages", Requests.CachedSystem("determinism", 1200).Streaming()),
        new("/v1/messages/count_tokens", Requests.CachedSystem("determinism", 1200).Without("max_tokens")),
        new("/v1/messages", Requests.Message("Determinism, unknown model.", "claude-imaginary-9")),
        new("/v1/messages", Requests.Message("Determinism, midstream.", stream: true), "midstream_error"),
        new("/v1/messages", Requests.Message("Determinism, overloaded."), "overloaded"),
        new("/v1/messages", Requests.Message("Determinism, plain.")), // a repeat
    ];

    private static async Task<List<(string RequestId, byte[] Body)>> RunAsync(int seed, string faults = "")
    {
        await using var host = await MockHost.StartAsync(o => o with { Seed = seed, Faults = FaultSpec.Parse(faults) });
        var replies = new List<(string, byte[])>();
        foreach (var step in Sequence)
        {
            var reply = await host.Client.PostAsync(step.Path, step.Body.ToJsonString(), step.Fault);
            replies.Add((reply.RequestId, reply.Body));
        }

        return replies;
    }

    [Fact]
    public async Task Same_seed_and_requests_give_byte_identical_bodies()
    {
        var a = await RunAsync(seed: 7);
        var b = await RunAsync(seed: 7);
        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].RequestId, b[i].RequestId);
            Assert.Equal(a[i].Body, b[i].Body);
        }

        // Ids within one run are all distinct.
        Assert.Equal(a.Count, a.Select(r => r.RequestId).Distinct().Count());
    }

    [Fact]
    public async Task Same_seed_gives_the_same_random_faults()
    {
        var a = await RunAsync(seed: 11, "api_error=0.3,timeout=0.2");
        var b = await RunAsync(seed: 11, "api_error=0.3,timeout=0.2");
        Assert.Equal(a.Select(r => r.Body), b.Select(r => r.Body));
    }

    [Fact]
    public async Task Different_seeds_give_different_bodies()
    {
        var a = await RunAsync(seed: 7);
        var b = await RunAsync(seed: 8);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.NotEqual(a[i].RequestId, b[i].RequestId);
            if (Sequence[i].Path == "/v1/messages/count_tokens")
            {
                Assert.Equal(a[i].Body, b[i].Body); // a token count does not depend on the seed
            }
            else
            {
                Assert.NotEqual(a[i].Body, b[i].Body); // message ids, request ids, answers
            }
        }
    }
}
