using System.Collections.Concurrent;
using System.Net;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Mock;
using Claudit.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Server.Tests.Budgets;

/// <summary>
/// The official Anthropic .NET SDK, retrying as it does by default, against the gateway: a policy's 429 carries
/// <c>x-should-retry: false</c>, so the SDK gives up after one attempt — where the upstream's own 429 (the
/// control) is retried. Attempts are counted as they leave the SDK and as the gateway recorded them.
/// </summary>
public sealed class SdkRefusalTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Counts the SDK's attempts and adds headers the SDK has no option for (a tag, a mock fault).</summary>
    private sealed class Attempts(params (string Name, string Value)[] headers) : DelegatingHandler
    {
        public ConcurrentQueue<string> RetryCounts { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            RetryCounts.Enqueue(request.Headers.TryGetValues("x-stainless-retry-count", out var v) ? string.Join(",", v) : "?");
            return base.SendAsync(request, cancellationToken);
        }
    }

    private static AnthropicClient Sdk(Uri gateway, string key, Attempts attempts) => new(new ClientOptions
    {
        ApiKey = key,
        BaseUrl = gateway.ToString().TrimEnd('/'),
        MaxRetries = 2, // the SDK's default: retry 429s twice
        Timeout = TimeSpan.FromSeconds(30),
        Handlers = [attempts],
    });

    private static MessageCreateParams Params(string text) => new()
    {
        Model = PolicyGateway.Model,
        MaxTokens = 100,
        Messages = [new UserMessageParam { Content = text }],
    };

    [Fact]
    public async Task The_sdk_receives_a_policys_429_and_does_not_retry_it()
    {
        await using var host = await PolicyGateway.StartAsync(
            """{"budgets": [{"name": "runaway-guard", "scope": "feature", "match": {"feature": "runaway"}, "limit_usd": 0.001, "window": "1d", "action": "block"}]}""",
            new FakeTimeProvider(Noon),
            history: [new CallRecord { Id = Guid.CreateVersion7(Noon.AddHours(-1)), StartTime = Noon.AddHours(-1), ModelRequested = PolicyGateway.Model, Cost = new CallCost { Priced = true, TotalUsd = 0.002m }, Tags = new CallTags { Feature = "runaway" } }]);

        var refused = new Attempts(("Claudit-Feature", "runaway"));
        using (var sdk = Sdk(host.Gateway.BaseAddress, PolicyGateway.CallerKey, refused))
        {
            var ex = await Assert.ThrowsAsync<AnthropicRateLimitException>(() => sdk.Messages.Create(Params("Loop forever.")));
            Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
            Assert.Contains("Claudit budget 'runaway-guard' for feature runaway is used up", ex.Message, StringComparison.Ordinal);
            await Assert.ThrowsAnyAsync<AnthropicException>(async () =>
            {
                await foreach (var _ in sdk.Messages.CreateStreaming(Params("Loop forever, streaming.")))
                {
                }
            });
        }

        Assert.Equal(["0", "0"], refused.RetryCounts); // one attempt each, never a retry

        // The control: the upstream's own 429 (the mock's rate_limit fault, retry-after 1 s) is retried twice by the same SDK.
        var retried = new Attempts((MockFaults.Header, "rate_limit"));
        using (var sdk = Sdk(host.Gateway.BaseAddress, PolicyGateway.CallerKey, retried))
        {
            await Assert.ThrowsAsync<AnthropicRateLimitException>(() => sdk.Messages.Create(Params("Upstream says slow down.")));
        }

        Assert.Equal(["0", "1", "2"], retried.RetryCounts);

        var records = await host.StopAndReadRecordsAsync();
        var gateways = records.Where(r => r.Tags.Feature == "runaway").ToList();
        Assert.Equal(2, gateways.Count); // what the gateway saw: the two attempts, both refused by the policy
        Assert.All(gateways, r => Assert.Equal(ErrorTypes.BudgetExceeded, r.Error!.Type));
        Assert.Equal(3, records.Count(r => r.Error?.Type == ErrorTypes.RateLimit));
    }

    [Fact]
    public async Task The_sdk_with_a_revoked_virtual_key_gets_a_401_once()
    {
        await using var host = await PolicyGateway.StartAsync(null);
        using var create = await host.Http.PostAsync("/api/keys", new StringContent("""{"name": "sdk-key"}""", System.Text.Encoding.UTF8, "application/json"));
        var key = System.Text.Json.JsonDocument.Parse(await create.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
        var attempts = new Attempts();
        using var sdk = Sdk(host.Gateway.BaseAddress, key, attempts);
        Assert.StartsWith("msg_", (await sdk.Messages.Create(Params("Hello with a virtual key."))).ID, StringComparison.Ordinal);

        (await host.Http.DeleteAsync("/api/keys/sdk-key")).Dispose();
        var ex = await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => sdk.Messages.Create(Params("Hello again.")));
        Assert.Contains("revoked", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["0", "0"], attempts.RetryCounts);
    }
}
