using System.Diagnostics;
using System.Net;
using System.Text;

namespace Claudit.Mock.Tests;

/// <summary>
/// The realistic profile: <c>message_start</c> leaves at once and the first content delta after the
/// model's time to first token, so time to first byte and time to first token differ as with the real API.
/// </summary>
public class PacingTests
{
    [Fact]
    public async Task Realistic_profile_sends_message_start_well_before_the_first_content_delta()
    {
        await using var server = await MockServer.StartAsync(MockHost.DefaultOptions with { Profile = MockProfile.Realistic });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent(Requests.Message("Pace me.", "claude-haiku-4-5", maxTokens: 8, stream: true).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "sk-ant-test-key");
        request.Headers.Add("anthropic-version", "2023-06-01");

        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        TimeSpan? messageStart = null, firstDelta = null;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
            var text = seen.ToString();
            if (messageStart is null && text.Contains("event: message_start\n", StringComparison.Ordinal))
            {
                messageStart = clock.Elapsed;
            }

            if (firstDelta is null && text.Contains("event: content_block_delta\n", StringComparison.Ordinal))
            {
                firstDelta = clock.Elapsed;
            }
        }

        StreamingConformanceTests.AssertEventOrder(Sse.Parse(seen.ToString()));
        Assert.NotNull(messageStart);
        Assert.NotNull(firstDelta);
        // Haiku's TTFT is ~350 ms ± 30 %: at least ~190 ms pass between the first event and the first token.
        Assert.True(firstDelta - messageStart >= TimeSpan.FromMilliseconds(150), $"message_start at {messageStart}, first delta at {firstDelta}");
    }
}
