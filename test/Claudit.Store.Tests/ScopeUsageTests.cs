using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Store.Usage;

namespace Claudit.Store.Tests;

/// <summary>
/// The usage a gateway policy counts, as the store reads it back: gateway Messages calls only (not the ones
/// the gateway refused itself, not imported or library calls), grouped by scope and bucket, with the
/// recorded priced cost, one request each and all their tokens.
/// </summary>
public class ScopeUsageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static CallRecord Call(int n, int minute, string? user, decimal cost, string? key = null, CallSource source = CallSource.Gateway, string endpoint = "/v1/messages", CallError? error = null) => new()
    {
        Id = Guid.CreateVersion7(T0.AddMinutes(minute).AddSeconds(n)),
        StartTime = T0.AddMinutes(minute).AddSeconds(n),
        Source = source,
        Endpoint = endpoint,
        ModelRequested = "claude-haiku-4-5",
        Status = error is null ? CallStatus.Ok : CallStatus.Error,
        Error = error,
        Usage = error is null ? new TokenUsage { InputTokens = 10, CacheCreationInputTokens = 20, CacheReadInputTokens = 30, OutputTokens = 40 } : null,
        Cost = error is null ? new CallCost { Priced = true, TotalUsd = cost } : null,
        Tags = new CallTags { User = user, Tenant = "acme", Properties = key is null ? null : new Dictionary<string, string> { ["virtual_key"] = key, ["virtual_key_name"] = "bot" } },
    };

    [Fact]
    public async Task Usage_is_grouped_by_scope_and_bucket_and_counts_only_forwarded_gateway_messages()
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        await store.AppendAsync(
        [
            Call(1, 0, "u1", 0.5m), Call(2, 0, "u1", 0.25m), Call(3, 5, "u1", 1m), Call(4, 5, "u2", 2m, key: "vk_1"),
            Call(5, 0, "u1", 9m, source: CallSource.Import),
            Call(6, 0, "u1", 9m, endpoint: "/v1/messages/count_tokens"),
            Call(7, 0, "u1", 0m, error: new CallError { Type = ErrorTypes.BudgetExceeded, Origin = ErrorOrigin.Gateway }),
            Call(8, 0, "u1", 0m, error: new CallError { Type = ErrorTypes.Overloaded, Origin = ErrorOrigin.Api }),
            Call(9, -90, "u1", 9m),
            Call(10, 0, null, 4m),
        ]);

        var byUser = await store.QueryScopeUsageAsync(new ScopeUsageQuery { Since = T0, Scope = UsageScope.User, BucketTicks = TimeSpan.FromMinutes(5).Ticks });
        var u1 = byUser.Where(r => r.Scope == "u1").OrderBy(r => r.Bucket).ToArray();
        Assert.Equal(2, u1.Length);
        Assert.Equal(0.75m, u1[0].CostUsd);
        Assert.Equal(3, u1[0].Requests); // two answered, one overloaded: the upstream saw all three
        Assert.Equal(200, u1[0].Tokens);
        Assert.Equal((T0.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.FromMinutes(5).Ticks, u1[0].Bucket);
        Assert.Equal(u1[0].Bucket + 1, u1[1].Bucket);
        Assert.DoesNotContain(byUser, r => r.Scope is null); // a call without the scope's tag is not counted by it

        var global = Assert.Single(await store.QueryScopeUsageAsync(new ScopeUsageQuery { Since = T0 }));
        Assert.Null(global.Scope);
        Assert.Equal(7.75m, global.CostUsd);

        var byKeyName = Assert.Single(await store.QueryScopeUsageAsync(new ScopeUsageQuery { Since = T0, Scope = UsageScope.Key, Match = new ScopeMatch(Key: "bot") }));
        Assert.Equal(("vk_1", 2m), (byKeyName.Scope, byKeyName.CostUsd));
        Assert.Empty(await store.QueryScopeUsageAsync(new ScopeUsageQuery { Since = T0, Scope = UsageScope.Tenant, Match = new ScopeMatch(Tenant: "other") }));
        Assert.Single(await store.QueryScopeUsageAsync(new ScopeUsageQuery { Since = T0, Scope = UsageScope.Model, Match = new ScopeMatch(Model: "Claude-Haiku") }));

        var top = await store.QueryScopeUsageAsync(new ScopeUsageQuery { Since = T0, Scope = UsageScope.User, Top = 1, Order = UsageOrder.Requests, BucketTicks = 1 });
        Assert.Equal(("u1", 0L, 4L), (Assert.Single(top).Scope, top[0].Bucket, top[0].Requests));
    }

    [Fact]
    public async Task A_gateway_refusal_round_trips_with_its_origin()
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        var refused = Call(1, 0, "u1", 0m, error: new CallError { Type = ErrorTypes.RateLimitedByPolicy, Message = "Claudit rate limit 'rpm' is reached", Origin = ErrorOrigin.Gateway });
        await store.AppendAsync([refused]);

        var back = await store.GetCallAsync(refused.Id);
        Assert.Equal(refused.Error, back!.Error);
    }
}
