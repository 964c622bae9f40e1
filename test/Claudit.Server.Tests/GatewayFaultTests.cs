using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Mock;
using Claudit.Server.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Claudit.Server.Tests;

/// <summary>
/// The gateway answers as a real proxy would when things go wrong (issue 11, items 9–11 and 15): the
/// upstream's own status when it answered, even before the body was sent; an API-shaped error an SDK
/// retries when it did not; <c>/readyz</c> says when the upstream is down; failures are logged where
/// <c>claudit serve</c> shows them; a cut body or stream is an error with the counts the API reported.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class GatewayFaultTests
{
    [Theory]
    [InlineData(true)] // as curl sends a large body: it waits for 100 Continue, then streams chunks
    [InlineData(false)]
    public async Task A_chunked_body_over_the_apis_limit_gets_the_upstreams_413_not_a_502(bool expectContinue)
    {
        await using var gateway = await TestGateway.StartAsync();
        // Well past the Messages API's 32 MB (and the gateway's 8 MiB capture cap): the upstream answers and
        // hangs up while megabytes are still to be sent, more than socket buffers hold.
        var head = Encoding.UTF8.GetBytes("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"");
        var tail = Encoding.UTF8.GetBytes("\"}]}");
        var body = new byte[head.Length + (48 * 1024 * 1024) + tail.Length];
        head.CopyTo(body, 0);
        body.AsSpan(head.Length, 48 * 1024 * 1024).Fill((byte)'x');
        tail.CopyTo(body, body.Length - tail.Length);
        using var request = TestGateway.Message("replaced");
        request.Content = new StreamContent(new MemoryStream(body));
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.ExpectContinue = expectContinue;

        using var response = await gateway.Http.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(ErrorTypes.RequestTooLarge, JsonDocument.Parse(answer).RootElement.GetProperty("error").GetProperty("type").GetString());
        var record = Assert.Single(await gateway.StopAndReadAsync());
        Assert.Equal(413, record.HttpStatus);
        Assert.Equal(ErrorTypes.RequestTooLarge, record.Error!.Type);
        Assert.Equal(ErrorOrigin.Api, record.Error.Origin);
    }

    [Fact]
    public async Task With_the_upstream_down_callers_get_an_api_shaped_502_and_readyz_says_down_until_it_answers()
    {
        var port = TestGateway.FreePort();
        await using var gateway = await TestGateway.StartAsync(upstream: new Uri($"http://127.0.0.1:{port}"));
        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.Http.SendAsync(TestGateway.Message("Anyone there?"));
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("true", response.Headers.GetValues("x-should-retry").Single());
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("error", body.GetProperty("type").GetString());
            Assert.Equal(ErrorTypes.Api, body.GetProperty("error").GetProperty("type").GetString());
            Assert.Contains("could not be reached", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using (var ready = await gateway.Http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("down", report.GetProperty("upstream").GetString());
            Assert.Equal(3, report.GetProperty("upstream_failures").GetInt32());
        }

        Assert.Contains(gateway.Logs, l => l.Level == LogLevel.Warning && l.Text.Contains("is down", StringComparison.Ordinal));

        // The upstream comes back; nothing is forwarded (as when a load balancer took the gateway out), yet the probe sees it.
        await using var mock = await MockServer.StartAsync(new MockOptions { Port = port, Profile = MockProfile.Fast });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HttpStatusCode status;
        do
        {
            await Task.Delay(250);
            using var ready = await gateway.Http.GetAsync("/readyz");
            status = ready.StatusCode;
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
        var records = await gateway.StopAndReadAsync();
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal(ErrorTypes.Connection, r.Error!.Type));
        Assert.All(records, r => Assert.Null(r.HttpStatus)); // the 502 was the gateway's, not the API's
    }

    [Fact]
    public async Task The_official_sdk_retries_the_gateways_502_and_reports_its_message()
    {
        await using var gateway = await TestGateway.StartAsync(upstream: new Uri($"http://127.0.0.1:{TestGateway.FreePort()}"));
        using var client = new AnthropicClient(new ClientOptions { ApiKey = TestGateway.ApiKey, BaseUrl = gateway.Server.BaseAddress.ToString().TrimEnd('/'), MaxRetries = 2 });

        var ex = await Assert.ThrowsAnyAsync<Anthropic5xxException>(() => client.Messages.Create(new MessageCreateParams
        {
            Model = "claude-haiku-4-5",
            MaxTokens = 100,
            Messages = [new UserMessageParam { Content = "Retry me." }],
        }));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Contains("could not be reached", ex.ToString(), StringComparison.Ordinal);
        var records = await gateway.StopAndReadAsync();
        Assert.Equal([0, 1, 2], records.Select(r => r.Tags.Attempt)); // three attempts: the SDK took the 502 as retryable
        Assert.All(records[1..], r => Assert.Equal(records[0].Id.ToString(), r.Tags.ParentId));
    }

    [Fact]
    public async Task A_success_whose_json_body_is_cut_is_recorded_as_body_truncated()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var response = await gateway.Http.SendAsync(TestGateway.Message("Cut my answer", fault: "truncate"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(response.Content.ReadAsStream())); // what the caller got is not whole JSON

        var record = Assert.Single(await gateway.StopAndReadAsync());
        Assert.Equal(CallStatus.Error, record.Status);
        Assert.Equal(ErrorTypes.BodyTruncated, record.Error!.Type);
        Assert.Equal(200, record.HttpStatus);
    }

    [Theory]
    [InlineData("truncate", ErrorTypes.StreamTruncated)]
    [InlineData("midstream_error", ErrorTypes.Overloaded)]
    public async Task A_failed_stream_keeps_its_message_id_and_input_but_no_placeholder_output(string fault, string errorType)
    {
        await using var gateway = await TestGateway.StartAsync();
        using var response = await gateway.Http.SendAsync(TestGateway.Message("Stream and fail", stream: true, fault: fault));
        var sse = await response.Content.ReadAsStringAsync();
        var start = sse.Split('\n').First(l => l.StartsWith("data: {\"type\":\"message_start\"", StringComparison.Ordinal));
        var message = JsonDocument.Parse(start["data: ".Length..]).RootElement.GetProperty("message");
        Assert.Equal(1, message.GetProperty("usage").GetProperty("output_tokens").GetInt64()); // the API's placeholder
        Assert.DoesNotContain("message_delta", sse, StringComparison.Ordinal);

        var record = Assert.Single(await gateway.StopAndReadAsync());
        Assert.Equal(errorType, record.Error!.Type);
        Assert.False(record.Complete);
        Assert.Equal(message.GetProperty("id").GetString(), record.MessageId);
        Assert.Equal(message.GetProperty("usage").GetProperty("input_tokens").GetInt64(), record.Usage!.InputTokens);
        Assert.Equal(0, record.Usage.OutputTokens);
    }

    [Fact]
    public async Task A_failed_call_is_logged_at_warning_with_its_request_id_and_type()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var response = await gateway.Http.SendAsync(TestGateway.Message("Limit me", fault: "rate_limit"));
        var requestId = response.Headers.GetValues("request-id").Single();

        var record = Assert.Single(await gateway.StopAndReadAsync());
        var line = Assert.Single(gateway.Logs, l => l.Text.Contains(record.Id.ToString(), StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains(requestId, line.Text, StringComparison.Ordinal);
        Assert.Contains(ErrorTypes.RateLimit, line.Text, StringComparison.Ordinal);
    }
}
