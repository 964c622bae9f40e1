using System.Net;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Mock;
using Claudit.Server.Tests.Support;
using Claudit.Server.Upstream;

namespace Claudit.Server.Tests;

/// <summary>
/// <c>--upstream-http2</c>: the gateway talks HTTP/2 with prior knowledge (h2c) to a cleartext upstream — the
/// mock's HTTP/2-only port — and forwards and records exactly what it does over HTTP/1.1; without the setting
/// it speaks HTTP/1.1 to a cleartext upstream, as before.
/// </summary>
public sealed class UpstreamHttp2Tests : IAsyncLifetime
{
    private MockServer _mock = null!;

    public async Task InitializeAsync() => _mock = await StartMockAsync();

    public async Task DisposeAsync() => await _mock.DisposeAsync();

    private static Task<MockServer> StartMockAsync() =>
        MockServer.StartAsync(new MockOptions { Port = 0, H2cPort = 0, Profile = MockProfile.Fast, Seed = 17, RateLimits = new RateLimitSettings { Enforced = false } });

    [Fact]
    public async Task Calls_over_an_h2c_upstream_are_forwarded_byte_for_byte_and_recorded_with_what_the_upstream_sent()
    {
        // The same seed answers the same requests with the same bytes: one mock over HTTP/1.1 directly, one behind the gateway over h2c.
        await using var direct = await StartMockAsync();
        using var directClient = new HttpClient { BaseAddress = direct.BaseAddress };
        await using var gateway = await TestGateway.StartAsync(o => o with { UpstreamHttp2 = true }, upstream: _mock.H2cAddress);
        var answers = new List<(byte[] Bytes, string RequestId, bool Stream)>();
        foreach (var stream in new[] { true, false, true, false })
        {
            using var viaGateway = TestGateway.Message($"Over h2c {answers.Count}", stream);
            using var straight = TestGateway.Message($"Over h2c {answers.Count}", stream);
            using var response = await gateway.Http.SendAsync(viaGateway);
            var proxied = await response.Content.ReadAsByteArrayAsync();
            var original = await (await directClient.SendAsync(straight)).Content.ReadAsByteArrayAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(original, proxied);
            answers.Add((proxied, response.Headers.GetValues("request-id").Single(), stream));
        }

        var records = await gateway.StopAndReadAsync();
        Assert.Equal(answers.Count, records.Count);
        foreach (var (bytes, requestId, stream) in answers)
        {
            MessageObservation observed;
            if (stream)
            {
                using var observer = new MessageStreamObserver();
                observer.Feed(bytes);
                observed = observer.Complete();
            }
            else
            {
                observed = MessageResponseParser.Parse(bytes);
            }

            var record = Assert.Single(records, r => r.RequestId == requestId);
            Assert.Equal(CallStatus.Ok, record.Status);
            Assert.Equal(200, record.HttpStatus);
            Assert.Equal(stream, record.Streaming);
            Assert.Equal(observed.Usage!.InputTokens, record.Usage!.InputTokens);
            Assert.Equal(observed.Usage.OutputTokens, record.Usage.OutputTokens);
            Assert.Equal(observed.StopReason, record.StopReason);
            Assert.Equal(observed.Model, record.ModelUsed);
            Assert.True(record.Cost!.Priced);
            Assert.Equal(stream, record.TtftMs is not null);
        }
    }

    [Fact]
    public async Task Without_the_setting_the_gateway_speaks_http11_to_a_cleartext_upstream_as_before()
    {
        // YARP's defaults (HTTP/2 only where TLS negotiates it), as the gateway had them before the setting.
        var config = UpstreamProtocol.ForwarderConfig(http2: false);
        Assert.Null(config.Version);
        Assert.Null(config.VersionPolicy);
        Assert.Equal(TimeSpan.FromMinutes(10), config.ActivityTimeout);
        Assert.False(new GatewayOptions().UpstreamHttp2);

        // Pointed at the HTTP/2-only port without it, the gateway's HTTP/1.1 request is refused there (Kestrel's 400), and recorded so.
        await using var gateway = await TestGateway.StartAsync(upstream: _mock.H2cAddress);
        using (var request = TestGateway.Message("Over HTTP/1.1", stream: true))
        using (var response = await gateway.Http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        var record = Assert.Single(await gateway.StopAndReadAsync());
        Assert.Equal(CallStatus.Error, record.Status);
        Assert.Equal(400, record.HttpStatus);
    }
}
