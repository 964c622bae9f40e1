using System.Text.Json.Nodes;
using Claudit.Core.Records;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Mock.Tests;

/// <summary>
/// Prompt caching: a write on first sight, reads on later identical prefixes within the TTL, the 5m/1h
/// split in <c>usage.cache_creation</c>, the minimum cacheable length, and bounded memory.
/// Each test owns a fresh server whose clock it controls.
/// </summary>
public class PromptCachingTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 8, 7, 12, 0, 0, TimeSpan.Zero));

    private Task<MockHost> StartAsync(int maxCacheEntries = 10_000) =>
        MockHost.StartAsync(o => o with { TimeProvider = _time, MaxCacheEntries = maxCacheEntries });

    private static async Task<TokenUsage> UsageOf(MockHost host, JsonObject body, bool stream = false)
    {
        var reply = await host.Client.MessagesAsync(stream ? body.Streaming() : body);
        Assert.Equal(System.Net.HttpStatusCode.OK, reply.Status);
        var o = stream ? reply.Observe() : reply.Parsed;
        Assert.True(o.Complete);
        return o.Usage!;
    }

    [Fact]
    public async Task First_request_writes_the_cache_and_an_identical_second_request_reads_it()
    {
        await using var host = await StartAsync();
        var body = Requests.CachedSystem("write-then-read", 1500);

        var first = await UsageOf(host, body);
        Assert.True(first.CacheCreationInputTokens >= 1500, $"wrote {first.CacheCreationInputTokens}");
        Assert.Equal(0, first.CacheReadInputTokens);
        Assert.Equal(first.CacheCreationInputTokens, first.CacheCreation5mInputTokens); // default TTL is 5 minutes
        Assert.Equal(0, first.CacheCreation1hInputTokens);
        Assert.True(first.InputTokens > 0, "the question after the breakpoint is uncached input");

        _time.Advance(TimeSpan.FromMinutes(4));
        var second = await UsageOf(host, body, stream: true);
        Assert.Equal(first.CacheCreationInputTokens, second.CacheReadInputTokens);
        Assert.Equal(0, second.CacheCreationInputTokens);
        Assert.Equal(0, second.CacheCreation5mInputTokens);
        Assert.Equal(0, second.CacheCreation1hInputTokens);
        Assert.Equal(first.InputTokens, second.InputTokens);
        Assert.Equal(first.TotalInputTokens, second.TotalInputTokens);
        Assert.Equal(1, host.Server.Mock.CachedPrefixes);
    }

    [Fact]
    public async Task Five_minute_entries_expire_and_hits_refresh_the_ttl()
    {
        await using var host = await StartAsync();
        var body = Requests.CachedSystem("expiry", 1200);
        var written = (await UsageOf(host, body)).CacheCreationInputTokens;
        Assert.True(written > 0);

        // A hit at 4 minutes refreshes the entry, so 8 minutes after the write it is still there.
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(written, (await UsageOf(host, body)).CacheReadInputTokens);
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(written, (await UsageOf(host, body)).CacheReadInputTokens);

        // Past five minutes without a hit it is gone: a write again.
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var after = await UsageOf(host, body);
        Assert.Equal(0, after.CacheReadInputTokens);
        Assert.Equal(written, after.CacheCreationInputTokens);
    }

    [Fact]
    public async Task One_hour_ttl_is_split_from_five_minute_writes_and_outlives_them()
    {
        await using var host = await StartAsync();
        // System cached for 1h, then a long user turn cached for 5m (the API wants 1h breakpoints first).
        var body = Requests.CachedSystem("one-hour", 1300, ttl: "1h");
        body["messages"] = new JsonArray(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray(
                Requests.TextBlock(Requests.Filler(600, "five-minutes"), Requests.CacheControl()),
                Requests.TextBlock("And the question after both breakpoints?")),
        });

        var first = await UsageOf(host, body);
        var oneHour = first.CacheCreation1hInputTokens!.Value;
        var fiveMinutes = first.CacheCreation5mInputTokens!.Value;
        Assert.InRange(oneHour, 1300, 1310);
        Assert.InRange(fiveMinutes, 600, 610);
        Assert.Equal(first.CacheCreationInputTokens, oneHour + fiveMinutes);
        Assert.Equal(0, first.CacheReadInputTokens);

        // Ten minutes later the 5m entry is gone but the 1h prefix is read; the rest is written again at 5m.
        _time.Advance(TimeSpan.FromMinutes(10));
        var later = await UsageOf(host, body, stream: true);
        Assert.Equal(oneHour, later.CacheReadInputTokens);
        Assert.Equal(fiveMinutes, later.CacheCreationInputTokens);
        Assert.Equal(fiveMinutes, later.CacheCreation5mInputTokens);
        Assert.Equal(0, later.CacheCreation1hInputTokens);
        Assert.Equal(first.InputTokens, later.InputTokens);

        // At once after that, everything is a read.
        var now = await UsageOf(host, body);
        Assert.Equal(oneHour + fiveMinutes, now.CacheReadInputTokens);
        Assert.Equal(0, now.CacheCreationInputTokens);
    }

    [Fact]
    public async Task A_longer_conversation_reads_the_cached_prefix_and_writes_only_its_extension()
    {
        await using var host = await StartAsync();
        var system = Requests.CachedSystem("conversation", 1500);
        var written = (await UsageOf(host, system)).CacheCreationInputTokens;

        var next = system.With("messages", new JsonArray(
            Requests.User("Summarise the document."),
            new JsonObject { ["role"] = "assistant", ["content"] = Requests.Filler(300, "assistant-turn") },
            new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(Requests.TextBlock("And now the conclusion?", Requests.CacheControl())),
            }));
        var usage = await UsageOf(host, next);
        Assert.Equal(written, usage.CacheReadInputTokens);
        Assert.InRange(usage.CacheCreationInputTokens, 300, 330);
        Assert.Equal(0, usage.InputTokens); // the last block is the breakpoint: nothing after it
    }

    [Fact]
    public async Task Prompts_below_the_minimum_are_not_cached()
    {
        await using var host = await StartAsync();
        var small = Requests.CachedSystem("too-small", 500);
        for (var i = 0; i < 2; i++)
        {
            var usage = await UsageOf(host, small);
            Assert.Equal(0, usage.CacheCreationInputTokens);
            Assert.Equal(0, usage.CacheReadInputTokens);
            Assert.True(usage.InputTokens > 500);
        }

        Assert.Equal(0, host.Server.Mock.CachedPrefixes);
    }

    [Fact]
    public async Task Haiku_needs_2048_tokens_where_sonnet_needs_1024()
    {
        await using var host = await StartAsync();
        var sonnet = await UsageOf(host, Requests.CachedSystem("minimums", 1500));
        Assert.True(sonnet.CacheCreationInputTokens > 0);

        foreach (var haiku in new[] { "claude-haiku-4-5", "claude-3-5-haiku-20241022", "claude-3-haiku-20240307" })
        {
            var below = await UsageOf(host, Requests.CachedSystem("minimums", 1500, model: haiku));
            Assert.Equal(0, below.CacheCreationInputTokens);
            Assert.Equal(0, below.CacheReadInputTokens);
            var above = await UsageOf(host, Requests.CachedSystem("minimums", 2100, model: haiku));
            Assert.True(above.CacheCreationInputTokens >= 2048, haiku);
        }
    }

    [Fact]
    public async Task The_same_text_in_another_place_or_role_is_another_prefix()
    {
        await using var host = await StartAsync();
        var text = Requests.Filler(1500, "placement");
        var inSystem = Requests.CachedSystem("unused", 10);
        inSystem["system"] = new JsonArray(Requests.TextBlock(text, Requests.CacheControl()));
        inSystem["messages"] = new JsonArray(Requests.User("Hi"), Requests.User("The question?"));

        var asUserTurn = Requests.Message("x").With("messages", new JsonArray(
            Requests.User("Hi"),
            new JsonObject { ["role"] = "user", ["content"] = new JsonArray(Requests.TextBlock(text, Requests.CacheControl())) },
            Requests.User("The question?")));
        var asAssistantTurn = asUserTurn.With("messages", new JsonArray(
            Requests.User("Hi"),
            new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray(Requests.TextBlock(text, Requests.CacheControl())) },
            Requests.User("The question?")));

        foreach (var body in new[] { inSystem, asUserTurn, asAssistantTurn })
        {
            var usage = await UsageOf(host, body);
            Assert.Equal(0, usage.CacheReadInputTokens);
            Assert.True(usage.CacheCreationInputTokens >= 1500);
            Assert.True((await UsageOf(host, body)).CacheReadInputTokens >= 1500, "an identical prefix is read");
        }
    }

    [Fact]
    public async Task The_cache_is_per_model()
    {
        await using var host = await StartAsync();
        var written = (await UsageOf(host, Requests.CachedSystem("per-model", 1500))).CacheCreationInputTokens;
        var other = await UsageOf(host, Requests.CachedSystem("per-model", 1500, model: "claude-opus-4-8"));
        Assert.Equal(0, other.CacheReadInputTokens);
        Assert.Equal(written, other.CacheCreationInputTokens);
    }

    [Fact]
    public async Task Cache_memory_is_bounded_and_the_oldest_prefix_is_evicted_first()
    {
        await using var host = await StartAsync(maxCacheEntries: 3);
        for (var i = 0; i < 6; i++)
        {
            Assert.True((await UsageOf(host, Requests.CachedSystem($"bounded-{i}", 1100))).CacheCreationInputTokens > 0);
            Assert.InRange(host.Server.Mock.CachedPrefixes, 1, 3);
        }

        Assert.Equal(3, host.Server.Mock.CachedPrefixes);
        Assert.True((await UsageOf(host, Requests.CachedSystem("bounded-5", 1100))).CacheReadInputTokens > 0, "the newest is kept");
        var oldest = await UsageOf(host, Requests.CachedSystem("bounded-0", 1100));
        Assert.Equal(0, oldest.CacheReadInputTokens);
        Assert.True(oldest.CacheCreationInputTokens > 0, "the oldest was evicted");
    }
}
