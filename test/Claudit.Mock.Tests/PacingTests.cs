using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Mock.Tests;

/// <summary>
/// The realistic profile: <c>message_start</c> leaves at once and the first content delta only after
/// the model's time to first token, so time to first byte and time to first token differ as with the
/// real API. The mock's clock is a fake one: the test holds time still and then moves it, so it
/// asserts the order of events, not how fast this machine is.
/// </summary>
public class PacingTests
{
    [Fact]
    public async Task Realistic_profile_sends_message_start_before_time_moves_and_the_content_only_after()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 8, 7, 12, 0, 0, TimeSpan.Zero));
        await using var server = await MockServer.StartAsync(MockHost.DefaultOptions with { Profile = MockProfile.Realistic, TimeProvider = time });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent(Requests.Message("Pace me.", "claude-haiku-4-5", maxTokens: 8, stream: true).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "sk-ant-test-key");
        request.Headers.Add("anthropic-version", "2023-06-01");

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var seen = new StringBuilder();
        var buffer = new byte[4096];

        // With the clock held still, message_start arrives...
        while (!seen.ToString().Contains("event: message_start\n", StringComparison.Ordinal))
        {
            var n = await body.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(n > 0, "the stream ended before message_start");
            seen.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        // ...and nothing more: the first token waits for the model's time to first token.
        var pending = body.ReadAsync(buffer).AsTask();
        await Task.Delay(300);
        Assert.False(pending.IsCompleted, "content arrived before any time passed on the mock's clock");

        // Moving the clock lets the rest of the stream out.
        var read = 0;
        for (var step = 0; step < 600 && (read = await Next(pending, time)) > 0; step++)
        {
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
            pending = body.ReadAsync(buffer).AsTask();
        }

        var events = Sse.Parse(seen.ToString());
        StreamingConformanceTests.AssertEventOrder(events);
        Assert.Contains(events, e => e.Name == "content_block_delta");
        Assert.Equal("message_stop", events[^1].Name);
    }

    /// <summary>Advances the fake clock in 100 ms steps until the pending read completes.</summary>
    private static async Task<int> Next(Task<int> pending, FakeTimeProvider time)
    {
        for (var i = 0; i < 600 && !pending.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(pending, Task.Delay(10));
        }

        return await pending.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
