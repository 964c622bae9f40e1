using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Claudit.Instrumentation.Tests;

/// <summary>The handler under a plain HttpClient: what the application sends and reads is untouched.</summary>
public class RawHttpTests(MockFixture mock) : IClassFixture<MockFixture>
{
    private static HttpRequestMessage Post(string body, HttpContent? content = null) => new(HttpMethod.Post, "/v1/messages")
    {
        Content = content ?? new StringContent(body, Encoding.UTF8, "application/json"),
        Headers = { { "x-api-key", "sk-ant-api03-raw" }, { "anthropic-version", "2023-06-01" } },
    };

    private static string Body(string text, bool stream = false) =>
        $$"""{"model":"{{Harness.Model}}","max_tokens":400,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{text}}"}]}""";

    private HttpClient Client(Harness h) =>
        new(h.Services.CreateClauditHandler().WithInner(new SocketsHttpHandler())) { BaseAddress = new Uri(h.BaseUrl) };

    private HttpClient Direct() => new() { BaseAddress = new Uri(mock.BaseUrl) };

    [Fact]
    public async Task A_streamed_request_body_is_buffered_for_the_record_and_still_sent_whole()
    {
        await using var h = Harness.Create(mock);
        using var http = Client(h);
        var bytes = Encoding.UTF8.GetBytes(Body("A body from a stream, not a byte array."));
        using var request = Post("", new StreamContent(new MemoryStream(bytes)) { Headers = { { "Content-Type", "application/json" } } });
        using var response = await http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode); // the mock validated the whole body

        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        Assert.Equal(Harness.Model, record.ModelRequested);
        Assert.Equal(400, record.MaxTokens);
        Assert.StartsWith("sha256:", record.PromptHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_application_reads_the_same_bytes_with_and_without_the_handler()
    {
        await using var h = Harness.Create(mock);
        using var http = Client(h);
        using var direct = Direct();
        foreach (var stream in new[] { false, true })
        {
            var body = Body($"Same bytes either way, stream {stream}.", stream);
            using var observed = await http.SendAsync(Post(body), HttpCompletionOption.ResponseHeadersRead);
            using var plain = await direct.SendAsync(Post(body), HttpCompletionOption.ResponseHeadersRead);
            var seen = await observed.Content.ReadAsByteArrayAsync();
            var expected = await plain.Content.ReadAsByteArrayAsync();
            // The mock's ids differ per request; everything else is determined by the prompt.
            Assert.Equal(expected.Length, seen.Length);
            Assert.Equal(plain.Content.Headers.ContentType, observed.Content.Headers.ContentType);
        }

        var records = await h.Sink.WaitForAsync(2);
        Assert.Equal([false, true], records.Select(r => r.Streaming));
        Assert.All(records, r => Assert.Equal(CallStatus.Ok, r.Status));
    }

    [Fact]
    public async Task A_stream_disposed_unread_is_closed_by_the_client()
    {
        await using var h = Harness.Create(mock);
        using var http = Client(h);
        using (var response = await http.SendAsync(Post(Body("Never read this stream.", stream: true)), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(0, h.Records.Submitted); // headers alone do not end a stream
        }

        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        Assert.Equal(ErrorTypes.ClientClosed, record.Error!.Type);
        Assert.False(record.Complete);
        Assert.Equal(200, record.HttpStatus);
    }

    [Fact]
    public async Task Stream_read_a_byte_at_a_time_is_observed_exactly()
    {
        await using var h = Harness.Create(mock);
        using var http = Client(h);
        using var response = await http.SendAsync(Post(Body("Tiny reads of a stream.", stream: true)), HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1];
        var total = new MemoryStream();
        while (await stream.ReadAsync(buffer) > 0)
        {
            total.WriteByte(buffer[0]);
        }

        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        var expected = new MessageStreamObserver();
        expected.Feed(total.ToArray());
        var observation = expected.Complete();
        Assert.True(record.Complete);
        Assert.Equal(observation.Usage!.OutputTokens, record.Usage!.OutputTokens);
        Assert.Equal(observation.StopReason, record.StopReason);
    }
}

internal static class HandlerExtensions
{
    public static ClauditHandler WithInner(this ClauditHandler handler, HttpMessageHandler inner)
    {
        handler.InnerHandler = inner;
        return handler;
    }
}
