using System.Net;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>
/// A store that already holds an absurd record (written before ingest validated anything) still answers
/// every query: sums of tokens cannot overflow, and an absurd row is not priced when re-priced. Issue 11,
/// item 2: one record of 2^63 - 1 input tokens made /api/overview, /api/report and /api/breakdown answer
/// 500 for good.
/// </summary>
public sealed class OverflowSafeSumsTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _gateway = await TestGateway.StartAsync();
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        CallRecord Call(long input, long output) => new()
        {
            Id = Guid.CreateVersion7(now), StartTime = now, ModelRequested = "claude-sonnet-4-5", ModelUsed = "claude-sonnet-4-5",
            Usage = new TokenUsage { InputTokens = input, OutputTokens = output, CacheReadInputTokens = input }, LatencyMs = 100,
            Cost = new CallCost { Priced = true, TotalUsd = 0.01m, InputUsd = 0.01m }, Tags = new CallTags { Session = "s" },
        };

        // Straight into the store, as a store written before validation holds them.
        await _gateway.Server.Store.AppendAsync([Call(long.MaxValue, long.MaxValue), Call(long.MaxValue, 10), Call(100, 10)]);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("/api/overview?range=24h")]
    [InlineData("/api/report")]
    [InlineData("/api/report?cost=recomputed")]
    [InlineData("/api/report?by=session")]
    [InlineData("/api/breakdown?range=24h&by=model")]
    [InlineData("/api/sessions?range=24h")]
    [InlineData("/api/timeseries?range=24h&metric=cost&by=token_class")]
    public async Task Every_query_answers(string path)
    {
        using var response = await _gateway.Http.GetAsync(path);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Token_sums_saturate_and_an_absurd_row_is_not_re_priced()
    {
        var recorded = JsonDocument.Parse(await _gateway.Http.GetStringAsync("/api/report")).RootElement;
        var recomputed = JsonDocument.Parse(await _gateway.Http.GetStringAsync("/api/report?cost=recomputed")).RootElement;

        Assert.Equal(3, recorded.GetProperty("calls").GetInt64());
        Assert.Equal(long.MaxValue, recorded.GetProperty("tokens").GetProperty("input").GetInt64());
        Assert.Equal(1, recomputed.GetProperty("coverage").GetProperty("priced_calls").GetInt64());
    }
}
