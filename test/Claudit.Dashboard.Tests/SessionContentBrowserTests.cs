using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Claudit.Core.Pricing;
using Claudit.Mock;
using Claudit.Server;
using Microsoft.Playwright;

namespace Claudit.Dashboard.Tests;

/// <summary>
/// A session as a conversation in a real headless Chromium, when the gateway captures content
/// (<c>--capture-content</c>): each turn shows the prompt's last user message and the answer, redacted and marked
/// so, with the whole prompt folded away; a pasted e-mail address never reaches the page.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class SessionContentBrowserTests
{
    private const string Session = "support-chat-7";

    private static async Task SendAsync(HttpClient http, bool stream, params (string Role, string Text)[] messages)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = "claude-haiku-4-5",
            ["max_tokens"] = 200,
            ["stream"] = stream,
            ["system"] = "You help customers of a bike shop.",
            ["messages"] = messages.Select(m => new Dictionary<string, string> { ["role"] = m.Role, ["content"] = m.Text }).ToArray(),
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", "sk-ant-api03-" + "dashboardcontentkey-0123456789abcdef");
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("Claudit-Session", Session);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Each_turn_shows_its_messages_redacted()
    {
        var dataDir = Directory.CreateTempSubdirectory("claudit-dashboard-content-").FullName;
        await using var mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 9, RateLimits = new RateLimitSettings { Enforced = false } });
        await using var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = mock.BaseAddress, DataDirectory = dataDir, CaptureContent = true }, PriceTable.Default);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        try
        {
            await ShowsEachTurnAsync(http, gateway.BaseAddress);
        }
        finally
        {
            await gateway.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task ShowsEachTurnAsync(HttpClient http, Uri gateway)
    {
        await SendAsync(http, false, ("user", "My order hasn't arrived; write to me at sam.rider@example.org please."));
        await SendAsync(http, true, ("user", "My order hasn't arrived."), ("assistant", "Sorry to hear that."), ("user", "Can you check order 5521 for the tandem?"));
        // The records reach the store in batches and the content on its own queue: wait for both.
        JsonElement detail = default;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(100);
            using var response = await http.GetAsync("/api/sessions/" + Session);
            if (response.IsSuccessStatusCode)
            {
                detail = await response.Content.ReadFromJsonAsync<JsonElement>();
            }
        }
        while ((detail.ValueKind != JsonValueKind.Object || detail.GetProperty("calls").EnumerateArray().Count(c => c.TryGetProperty("content", out _)) < 2) && DateTime.UtcNow < deadline);
        var secondOutput = detail.GetProperty("calls")[1].GetProperty("content").GetProperty("output").GetString()!;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await Chromium.PageAsync(browser);
        var violations = Chromium.WatchForViolations(page);
        await page.GotoAsync($"{gateway}?session={Session}");

        await Assertions.Expect(page.Locator("[data-testid=turn-content]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=content-redacted]")).ToHaveTextAsync("redacted");
        await Assertions.Expect(page.Locator("[data-testid=turn-prompt]").First).ToHaveTextAsync("userMy order hasn't arrived; write to me at [EMAIL] please.");
        await Assertions.Expect(page.Locator("[data-testid=turn-prompt]").Last).ToContainTextAsync("Can you check order 5521 for the tandem?");
        await Assertions.Expect(page.Locator("[data-testid=turn-output]").Last).ToContainTextAsync(secondOutput[..Math.Min(40, secondOutput.Length)]);
        await Assertions.Expect(page.Locator("[data-testid=content-off]")).ToHaveCountAsync(0);

        // The whole prompt is folded away until asked for: the system prompt and the earlier turns.
        var full = page.Locator("[data-testid=turn-full-prompt]").Last;
        await Assertions.Expect(full.Locator(".msg.system")).Not.ToBeVisibleAsync();
        await full.Locator("summary").ClickAsync();
        await Assertions.Expect(full.Locator(".msg.system")).ToContainTextAsync("You help customers of a bike shop.");
        await Assertions.Expect(full.Locator(".msg")).ToHaveCountAsync(4);
        await Chromium.ShotAsync(page, "session-content");

        Assert.DoesNotContain("sam.rider@example.org", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(violations);
    }
}
