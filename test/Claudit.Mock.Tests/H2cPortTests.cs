using System.Net;
using System.Text;

namespace Claudit.Mock.Tests;

/// <summary>
/// <c>--h2c-port</c>: the same API on a second port over cleartext HTTP/2 with prior knowledge (a proxy multiplexing
/// calls over it); the main port is unchanged, and there is no second port unless asked for.
/// </summary>
public class H2cPortTests
{
    private static HttpRequestMessage Streamed(Version version)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = new StringContent("""{"model":"claude-haiku-4-5","max_tokens":200,"stream":true,"messages":[{"role":"user","content":"Over h2c."}]}""", Encoding.UTF8, "application/json"),
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add("x-api-key", "sk-ant-test");
        request.Headers.Add("anthropic-version", "2023-06-01");
        return request;
    }

    [Fact]
    public async Task The_h2c_port_answers_over_http2_with_the_bytes_the_main_port_gives_over_http11()
    {
        await using var h2c = await MockHost.StartAsync(o => o with { H2cPort = 0 });
        await using var plain = await MockHost.StartAsync();
        Assert.NotNull(h2c.Server.H2cAddress);
        Assert.NotEqual(h2c.Server.BaseAddress, h2c.Server.H2cAddress);
        Assert.Equal("127.0.0.1", h2c.Server.H2cAddress!.Host);

        using var http2 = new HttpClient { BaseAddress = h2c.Server.H2cAddress };
        using var http11 = new HttpClient { BaseAddress = plain.Server.BaseAddress };
        using var overHttp2 = await http2.SendAsync(Streamed(HttpVersion.Version20));
        using var overHttp11 = await http11.SendAsync(Streamed(HttpVersion.Version11));

        Assert.Equal(HttpVersion.Version20, overHttp2.Version);
        Assert.Equal(HttpVersion.Version11, overHttp11.Version);
        Assert.Equal(HttpStatusCode.OK, overHttp2.StatusCode);
        var body = await overHttp2.Content.ReadAsByteArrayAsync();
        Assert.True(body.AsSpan().IndexOf("event: message_stop"u8) > 0);
        Assert.Equal(await overHttp11.Content.ReadAsByteArrayAsync(), body);
    }

    [Fact]
    public async Task The_h2c_port_is_http2_only_and_absent_unless_asked_for()
    {
        await using var plain = await MockHost.StartAsync();
        Assert.Null(plain.Server.H2cAddress);

        await using var h2c = await MockHost.StartAsync(o => o with { H2cPort = 0 });
        using var http11 = new HttpClient { BaseAddress = h2c.Server.H2cAddress };
        using var refused = await http11.SendAsync(Streamed(HttpVersion.Version11));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode); // Kestrel's answer to HTTP/1.1 on an HTTP/2-only endpoint, not the mock's
        Assert.DoesNotContain("message_start", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
