using System.Net;
using System.Text.Json;
using Claudit.Core.Anthropic;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Mock.Tests;

/// <summary>Faults named by <c>x-mock-fault</c>, and probabilistic fault mixes from <see cref="FaultSpec"/>.</summary>
public class FaultTests(MockServerFixture mock) : IClassFixture<MockServerFixture>
{
    [Theory]
    [InlineData("rate_limit", 429, ErrorTypes.RateLimit)]
    [InlineData("overloaded", 529, ErrorTypes.Overloaded)]
    [InlineData("api_error", 500, ErrorTypes.Api)]
    [InlineData("timeout", 504, ErrorTypes.Timeout)]
    public async Task Error_faults_answer_with_the_reference_status_and_error_type(string fault, int status, string type)
    {
        foreach (var stream in new[] { false, true })
        {
            var reply = await mock.Client.MessagesAsync(Requests.Message($"Fault {fault}.", stream: stream), fault);
            reply.AssertError((HttpStatusCode)status, type);
            Assert.Equal(status, (int)reply.Status);
            Assert.True(ErrorTypes.IsRetryable(type, status));
            if (fault == "rate_limit")
            {
                Assert.Equal("1", reply.Header("retry-after"));
                Assert.Equal(1, reply.RateLimits()!.RetryAfterSeconds);
            }
        }
    }

    [Fact]
    public async Task Fault_names_are_case_insensitive_and_unknown_names_are_ignored()
    {
        (await mock.Client.MessagesAsync(Requests.Message("Upper-case fault."), "OVERLOADED")).AssertError((HttpStatusCode)529, ErrorTypes.Overloaded);
        var ignored = await mock.Client.MessagesAsync(Requests.Message("Unknown fault."), "gremlins");
        Assert.Equal(HttpStatusCode.OK, ignored.Status);
        Assert.True(ignored.Parsed.Complete);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Slow_answers_completely_only_once_the_slow_delay_has_passed(bool stream)
    {
        // The mock's clock is fake: the answer must wait for it to move, however fast this machine is.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 8, 7, 12, 0, 0, TimeSpan.Zero));
        var delay = TimeSpan.FromSeconds(30);
        await using var host = await MockHost.StartAsync(o => o with { SlowDelay = delay, TimeProvider = time });

        var slow = host.Client.MessagesAsync(Requests.Message("Slowly, please.", stream: stream), "slow");
        await Task.Delay(300);
        Assert.False(slow.IsCompleted, "the slow fault answered before its delay passed");

        // Without the fault the fast profile answers with the clock standing still.
        var quick = await host.Client.MessagesAsync(Requests.Message("Quickly.")).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, quick.Status);
        Assert.False(slow.IsCompleted);

        time.Advance(delay);
        var reply = await slow.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        if (stream)
        {
            StreamingConformanceTests.AssertEventOrder(reply.Events);
            Assert.True(reply.Observe().Complete);
        }
        else
        {
            Assert.True(reply.Parsed.Complete);
            Assert.Equal("end_turn", reply.Parsed.StopReason);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reset_drops_the_connection_before_any_byte(bool stream)
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => mock.Client.MessagesAsync(Requests.Message("Reset me.", stream: stream), "reset"));

        // The server carries on.
        Assert.Equal(HttpStatusCode.OK, (await mock.Client.MessagesAsync(Requests.Message("After a reset."))).Status);
    }

    [Fact]
    public async Task Midstream_error_is_http_200_then_an_error_event_and_no_message_stop()
    {
        var reply = await mock.Client.MessagesAsync(Requests.Message("Fail midway: " + Requests.Filler(50, "midstream"), stream: true), "midstream_error");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("text/event-stream", reply.ContentType?.MediaType);

        var events = reply.Events;
        Assert.Equal("message_start", events[0].Name);
        Assert.Contains(events, e => e.Name == "content_block_delta");
        Assert.Equal("error", events[^1].Name);
        Assert.Single(events, e => e.Name == "error");
        Assert.DoesNotContain(events, e => e.Name is "message_stop" or "message_delta");
        var error = events[^1].Json;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal(ErrorTypes.Overloaded, error.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("Overloaded", error.GetProperty("error").GetProperty("message").GetString());

        var o = reply.Observe();
        Assert.False(o.Complete);
        Assert.True(o.HasError);
        Assert.Equal(ErrorTypes.Overloaded, o.ErrorType);
        Assert.True(o.SawMessageStart);
        Assert.Equal(0, o.MalformedEvents);
    }

    [Fact]
    public async Task Midstream_error_without_a_stream_is_a_529()
    {
        var reply = await mock.Client.MessagesAsync(Requests.Message("Fail midway, whole."), "midstream_error");
        reply.AssertError((HttpStatusCode)529, ErrorTypes.Overloaded);
    }

    [Fact]
    public async Task Truncate_ends_the_stream_without_message_stop()
    {
        var reply = await mock.Client.MessagesAsync(Requests.Message("Cut me off: " + Requests.Filler(50, "truncate"), stream: true), "truncate");
        Assert.Equal(HttpStatusCode.OK, reply.Status);

        var events = reply.Events; // whole events, then nothing
        Assert.Equal("message_start", events[0].Name);
        Assert.Contains(events, e => e.Name == "content_block_delta");
        Assert.DoesNotContain(events, e => e.Name is "message_stop" or "message_delta" or "error");

        var o = reply.Observe();
        Assert.False(o.Complete);
        Assert.False(o.HasError);
        Assert.True(o.SawMessageStart);
        // Only message_start's placeholder output count arrived; Core records it as no output (issue 11).
        Assert.Equal(1, JsonDocument.Parse(events[0].Data).RootElement.GetProperty("message").GetProperty("usage").GetProperty("output_tokens").GetInt64());
        Assert.Equal(0, o.Usage!.OutputTokens);
    }

    [Fact]
    public async Task Truncate_without_a_stream_sends_half_a_json_body()
    {
        var reply = await mock.Client.MessagesAsync(Requests.Message("Cut me off, whole."), "truncate");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.True(reply.Body.Length > 10);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(reply.Body));
        Assert.False(reply.Parsed.Complete);
        Assert.StartsWith("{\"id\":\"msg_", reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nonsense=0.1", "unknown fault")]
    [InlineData("rate_limit=abc", "probability")]
    [InlineData("rate_limit=1.5", "probability")]
    [InlineData("rate_limit=-0.1", "probability")]
    [InlineData("rate_limit", "NAME=PROBABILITY")]
    [InlineData("=0.2", "NAME=PROBABILITY")]
    [InlineData("rate_limit=0.6,overloaded=0.5", "more than 1")]
    public void FaultSpec_parse_rejects_bad_specs(string spec, string message)
    {
        var ex = Assert.Throws<FormatException>(() => FaultSpec.Parse(spec));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FaultSpec_parse_reads_names_and_probabilities()
    {
        Assert.Same(FaultSpec.None, FaultSpec.Parse(null));
        Assert.Same(FaultSpec.None, FaultSpec.Parse("  "));

        var spec = FaultSpec.Parse("rate_limit=0.02, overloaded=0.01,midstream_error=0.5");
        Assert.Equal(new (MockFault, double)[] { (MockFault.RateLimit, 0.02), (MockFault.Overloaded, 0.01), (MockFault.MidstreamError, 0.5) }, spec.Faults);
        Assert.Equal(MockFault.RateLimit, spec.Draw(0.0));
        Assert.Equal(MockFault.RateLimit, spec.Draw(0.0199));
        Assert.Equal(MockFault.Overloaded, spec.Draw(0.025));
        Assert.Equal(MockFault.MidstreamError, spec.Draw(0.4));
        Assert.Equal(MockFault.None, spec.Draw(0.6));
        Assert.Equal(MockFault.None, spec.Draw(0.9999));

        // Every fault has a name the spec and the header accept.
        foreach (var fault in Enum.GetValues<MockFault>().Where(f => f != MockFault.None))
        {
            var name = MockFaults.NameOf(fault);
            Assert.Equal(fault, Assert.Single(FaultSpec.Parse($"{name}=1").Faults).Fault);
            Assert.True(MockFaults.TryParse(name, out var parsed));
            Assert.Equal(fault, parsed);
        }
    }

    [Fact]
    public async Task A_probabilistic_spec_draws_about_the_right_share_of_faults()
    {
        const int n = 400;
        var counts = await DrawAsync(seed: 7, n);
        Assert.Equal(n, counts.Values.Sum());
        // Expected 80 (sd 8), 40 (sd 6) and 280; the bounds are about four standard deviations wide.
        Assert.InRange(counts.GetValueOrDefault(HttpStatusCode.TooManyRequests), 48, 112);
        Assert.InRange(counts.GetValueOrDefault((HttpStatusCode)529), 16, 64);
        Assert.InRange(counts.GetValueOrDefault(HttpStatusCode.OK), 240, 320);
        Assert.Equal(3, counts.Count);

        // Fixed seed, same draws.
        Assert.Equal(counts, await DrawAsync(seed: 7, n));
    }

    private static async Task<Dictionary<HttpStatusCode, int>> DrawAsync(int seed, int n)
    {
        await using var host = await MockHost.StartAsync(o => o with { Seed = seed, Faults = FaultSpec.Parse("rate_limit=0.2,overloaded=0.1") });
        var counts = new Dictionary<HttpStatusCode, int>();
        var body = Requests.Message("Probabilistic faults.", maxTokens: 20);
        for (var i = 0; i < n; i++)
        {
            var reply = await host.Client.MessagesAsync(body);
            counts[reply.Status] = counts.GetValueOrDefault(reply.Status) + 1;
            if (reply.Status != HttpStatusCode.OK)
            {
                Assert.NotNull(reply.Parsed.ErrorType);
            }
        }

        return counts;
    }

    [Fact]
    public async Task A_probabilistic_reset_drops_connections_and_the_rest_are_served()
    {
        await using var host = await MockHost.StartAsync(o => o with { Faults = FaultSpec.Parse("reset=0.5") });
        int resets = 0, served = 0;
        for (var i = 0; i < 40; i++)
        {
            try
            {
                var reply = await host.Client.MessagesAsync(Requests.Message("Maybe reset."));
                Assert.Equal(HttpStatusCode.OK, reply.Status);
                served++;
            }
            catch (HttpRequestException)
            {
                resets++;
            }
        }

        Assert.InRange(resets, 8, 32);
        Assert.Equal(40, resets + served);
    }
}
