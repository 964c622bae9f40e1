using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Tests;

/// <summary>Synthetic calls for the evaluator: an answered, priced call in a group, and the usual ways to make it bad.</summary>
internal static class Calls
{
    /// <summary>An answered call of 500 ms, $0.01, 100 in / 50 out tokens, whose <paramref name="dimension"/> is <paramref name="group"/>.</summary>
    public static CallRecord Ok(DateTimeOffset t, CallDimension dimension, string group) => new()
    {
        Id = Guid.CreateVersion7(t),
        StartTime = t,
        ModelRequested = dimension == CallDimension.Model ? group : "claude-haiku-4-5",
        ModelUsed = dimension == CallDimension.Model ? group : "claude-haiku-4-5",
        HttpStatus = 200,
        StopReason = "end_turn",
        LatencyMs = 500,
        Usage = new TokenUsage { InputTokens = 100, OutputTokens = 50 },
        Cost = Usd(0.01m),
        Tags = new CallTags
        {
            Feature = dimension == CallDimension.Feature ? group : "chat",
            User = dimension == CallDimension.User ? group : "user-1",
            Tenant = dimension == CallDimension.Tenant ? group : "tenant-1",
            Session = dimension == CallDimension.Session ? group : null,
            Attempt = 0,
        },
    };

    public static CallCost Usd(decimal amount) => new() { Priced = true, TotalUsd = amount, PriceTableVersion = "test" };

    public static CallRecord Failed(this CallRecord r, string type, int? status, bool retryable = true) => r with
    {
        Status = CallStatus.Error,
        HttpStatus = status,
        StopReason = null,
        Usage = null,
        Cost = null,
        Error = new CallError { Type = type, Retryable = retryable, Origin = status is null ? ErrorOrigin.Transport : ErrorOrigin.Api },
    };

    public static CallRecord RateLimited(this CallRecord r) => r.Failed(ErrorTypes.RateLimit, 429);
}
