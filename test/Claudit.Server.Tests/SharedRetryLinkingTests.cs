using Claudit.Core.Capture;
using Claudit.Core.Records;
using Claudit.Server.SharedState;
using StackExchange.Redis;

namespace Claudit.Server.Tests;

/// <summary>
/// Retry linking across the fleet against a real Redis (Debian's redis-server, started by the test): two gateways' finishers,
/// each on its own connection, as <c>--shared-state</c> wires them. A first attempt that failed on gateway A, retried on gateway B,
/// is linked (B's record carries A's record id as <c>parent_id</c>, and its attempt number); other credentials, prompts and
/// models are not; with Redis gone each gateway still links the retries it saw itself.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class SharedRetryLinkingTests : IDisposable
{
    private const string Request = """{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"retry me"}]}""";
    private const string Overloaded = """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""";
    private const string Answer = """{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":10,"output_tokens":2}}""";

    private static readonly ulong Credential = CredentialFingerprint.Of("sk-ant-" + "fleet-retry", null);
    private readonly Core.Telemetry.CallTelemetry _telemetry = new();

    public void Dispose() => _telemetry.Dispose();

    [Fact]
    public async Task A_retry_on_another_gateway_takes_the_failed_first_attempt_on_the_first_as_parent()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}");
        await using var b = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}");
        var (gatewayA, queueA) = Gateway(a);
        var (gatewayB, _) = Gateway(b);

        var first = await gatewayA.FinishAsync(Capture(Request, 529, Overloaded), Context(attempt: 0));
        Assert.True(first.IsError);
        Assert.Null(first.Tags.ParentId);

        // The first attempt is published without waiting; the SDK's back-off (≥ 0.375 s) leaves it time to land.
        var retry = await RetryUntilLinkedAsync(gatewayB, Request, attempt: 1);
        Assert.Equal(first.Id.ToString(), retry.Tags.ParentId);
        Assert.Equal(1, retry.Tags.Attempt);
        Assert.False(retry.IsError);
        Assert.Equal(first.Id.ToString(), (await gatewayA.FinishAsync(Capture(Request, 200, Answer), Context(attempt: 2))).Tags.ParentId);
        Assert.Equal(first.Id.ToString(), (await gatewayB.FinishAsync(Capture(Request, 200, Answer), Context(attempt: 2))).Tags.ParentId);

        // Another credential, another prompt or another model is another request: not linked.
        Assert.Null((await gatewayB.FinishAsync(Capture(Request, 200, Answer), Context(attempt: 1) with { Credential = Credential + 1 })).Tags.ParentId);
        Assert.Null((await gatewayB.FinishAsync(Capture(Request.Replace("retry me", "another", StringComparison.Ordinal), 200, Answer), Context(attempt: 1))).Tags.ParentId);
        Assert.Null((await gatewayB.FinishAsync(Capture(Request.Replace("sonnet", "haiku", StringComparison.Ordinal), 200, Answer), Context(attempt: 1))).Tags.ParentId);
        Assert.Equal(first.Id, Assert.Single(queueA.Records, r => r.Tags.Attempt == 0).Id);

        // Only the fingerprint reaches Redis, never the key.
        var keys = b.GetServer(b.GetEndPoints()[0]).Keys(pattern: "claudit:retry:*").Select(k => k.ToString()).ToList();
        var key = Assert.Single(keys);
        Assert.Contains(Credential.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), key, StringComparison.Ordinal);
        Assert.DoesNotContain("fleet-retry", key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_Redis_a_gateway_still_links_its_own_retries_and_leaves_the_others_unlinked()
    {
        var redis = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { "127.0.0.1", redis.Port } },
            AbortOnConnectFail = false,
        });
        var (gateway, _) = Gateway(connection);
        var (other, _) = Gateway(connection);
        await redis.DisposeAsync();

        var first = await gateway.FinishAsync(Capture(Request, 529, Overloaded), Context(attempt: 0));
        Assert.Null((await other.FinishAsync(Capture(Request, 200, Answer), Context(attempt: 1))).Tags.ParentId);
        Assert.Null((await other.FinishAsync(Capture(Request, 200, Answer), Context(attempt: 2))).Tags.ParentId);
        Assert.Equal(first.Id.ToString(), (await gateway.FinishAsync(Capture(Request, 200, Answer), Context(attempt: 1))).Tags.ParentId);
    }

    private static CallContext Context(int attempt) => new() { Tags = new CallTags { Attempt = attempt }, Credential = Credential };

    private static CallCapture Capture(string request, int status, string body)
    {
        var capture = new CallCapture(TimeProvider.System, CallSource.Gateway);
        capture.OnRequestBody(System.Text.Encoding.UTF8.GetBytes(request));
        capture.OnResponseHeaders(status, _ => null);
        capture.OnResponseBody(System.Text.Encoding.UTF8.GetBytes(body));
        return capture;
    }

    private static async Task<CallRecord> RetryUntilLinkedAsync(CallFinisher gateway, string request, int attempt)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var record = await gateway.FinishAsync(Capture(request, 200, Answer), Context(attempt));
            if (record.Tags.ParentId is not null || DateTime.UtcNow > deadline)
            {
                return record;
            }

            await Task.Delay(20);
        }
    }

    private (CallFinisher Finisher, ListRecordQueue Queue) Gateway(IConnectionMultiplexer redis)
    {
        var queue = new ListRecordQueue();
        var linker = new RetryLinker(TimeProvider.System, shared: new RedisRetryAttempts(redis, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        return (new CallFinisher(Core.Pricing.CostCalculator.Default, linker, _telemetry, queue), queue);
    }
}
