using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Server.Tests.Support;
using Claudit.Store.DuckDb;

namespace Claudit.Server.Tests;

/// <summary>
/// The gateway's content capture (<c>--capture-content</c>), through the real mock and a real DuckDB store: off by
/// default, when nothing of a prompt or an answer is written anywhere; on, each Messages call's prompt and answer
/// text, redacted, stored apart from the journal and served by <c>/api/sessions/{id}</c> and <c>/api/calls/{id}</c>;
/// the caller's API key nowhere, on or off.
/// </summary>
public sealed class ContentCaptureTests
{
    // Personal data and credentials a user might paste into a prompt.
    private const string Email = "jane.doe@example.com";
    private const string Card = "4111 1111 1111 1111";
    private const string Marker = "zebracrossing42";

    private static HttpRequestMessage Conversation(string session, bool stream)
    {
        var body = $$"""
            {"model":"claude-haiku-4-5","max_tokens":200,"stream":{{(stream ? "true" : "false")}},
             "system":[{"type":"text","text":"You are a terse assistant."}],
             "messages":[
               {"role":"user","content":"My e-mail is {{Email}} and my key is {{TestGateway.ApiKey}}."},
               {"role":"assistant","content":[{"type":"text","text":"Noted."}]},
               {"role":"user","content":[{"type":"text","text":"Charge card {{Card}} for the {{Marker}} order."}]}]}
            """;
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", TestGateway.ApiKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("Claudit-Session", session);
        return request;
    }

    /// <summary>The answer's text as the client received it: text blocks (or text deltas) in order, blocks on their own lines.</summary>
    private static string AnswerText(string body, bool stream)
    {
        var text = new StringBuilder();
        var newBlock = false;
        void Add(string? s)
        {
            if (string.IsNullOrEmpty(s))
            {
                return;
            }

            if (newBlock && text.Length > 0)
            {
                text.Append('\n');
            }

            newBlock = false;
            text.Append(s);
        }

        if (!stream)
        {
            foreach (var block in JsonDocument.Parse(body).RootElement.GetProperty("content").EnumerateArray())
            {
                newBlock = true;
                Add(block.TryGetProperty("text", out var t) ? t.GetString() : null);
            }

            return text.ToString();
        }

        foreach (var line in body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)))
        {
            var e = JsonDocument.Parse(line["data: ".Length..]).RootElement;
            switch (e.GetProperty("type").GetString())
            {
                case "content_block_start": newBlock = true; break;
                case "content_block_delta" when e.GetProperty("delta").TryGetProperty("text", out var t): Add(t.GetString()); break;
            }
        }

        return text.ToString();
    }

    private static async Task<JsonElement> SessionWithContentAsync(HttpClient http, string session, int calls)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await http.GetAsync($"/api/sessions/{session}");
            if (response.IsSuccessStatusCode)
            {
                var detail = await response.Content.ReadFromJsonAsync<JsonElement>();
                var withContent = detail.GetProperty("calls").EnumerateArray().Count(c => c.TryGetProperty("content", out _));
                if (withContent >= calls || DateTime.UtcNow > deadline)
                {
                    return detail;
                }
            }
            else if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no session {session}: {response.StatusCode}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Every file the gateway wrote (journal, store, dead letters) holds none of <paramref name="texts"/>.</summary>
    private static void AssertNowhereOnDisk(string dataDir, params string[] texts)
    {
        foreach (var file in Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var text in texts)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) < 0, $"{Path.GetRelativePath(dataDir, file)} holds '{text}'");
            }
        }
    }

    [Fact]
    public async Task Off_by_default_no_content_is_stored_and_the_journal_holds_none()
    {
        await using var gateway = await TestGateway.StartAsync();
        const string session = "content-off";
        foreach (var stream in new[] { false, true })
        {
            using var response = await gateway.Http.SendAsync(Conversation(session, stream));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            await response.Content.ReadAsStringAsync();
        }

        Assert.Null(gateway.Server.Content);
        var detail = await SessionWithContentAsync(gateway.Http, session, calls: 2);
        Assert.Equal("off", detail.GetProperty("content_capture").GetString());
        Assert.Equal(2, detail.GetProperty("calls").GetArrayLength());
        Assert.All(detail.GetProperty("calls").EnumerateArray(), c => Assert.False(c.TryGetProperty("content", out _)));
        var id = detail.GetProperty("calls")[0].GetProperty("id").GetString();
        var call = await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/calls/{id}");
        Assert.False(call.TryGetProperty("content", out _));

        var records = await gateway.StopAndReadAsync();
        Assert.Equal(2, records.Count);
        await using (var store = DuckDbCallStore.Open(Path.Combine(gateway.DataDir, DuckDbCallStore.FileName), readOnly: true))
        {
            Assert.Empty(await store.GetContentAsync([.. records.Select(r => r.Id)]));
        }

        // Not in the journal, not in the store, not in a dead letter: no prompt text, no answer, no key.
        AssertNowhereOnDisk(gateway.DataDir, Marker, "terse assistant", Email, TestGateway.ApiKey);
    }

    [Fact]
    public async Task On_streamed_and_whole_answers_are_stored_redacted_as_sent_and_answered()
    {
        await using var gateway = await TestGateway.StartAsync(o => o with { CaptureContent = true });
        const string session = "content-on";
        var answers = new List<string>();
        foreach (var stream in new[] { false, true })
        {
            using var response = await gateway.Http.SendAsync(Conversation(session, stream));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            answers.Add(AnswerText(body, stream));
        }

        var detail = await SessionWithContentAsync(gateway.Http, session, calls: 2);
        Assert.Equal("on", detail.GetProperty("content_capture").GetString());
        var calls = detail.GetProperty("calls").EnumerateArray().ToList();
        Assert.Equal(2, calls.Count);
        for (var i = 0; i < calls.Count; i++)
        {
            var content = calls[i].GetProperty("content");
            Assert.Equal(calls[i].GetProperty("id").GetString(), content.GetProperty("call_id").GetString());
            Assert.Equal("claude-haiku-4-5", content.GetProperty("model").GetString());
            var messages = content.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString(), m.GetProperty("text").GetString())).ToList();
            Assert.Equal(
                [
                    ("system", "You are a terse assistant."),
                    ("user", "My e-mail is [EMAIL] and my key is [REDACTED]."),
                    ("assistant", "Noted."),
                    ("user", $"Charge card [CARD] for the {Marker} order."),
                ],
                messages);
            Assert.False(string.IsNullOrEmpty(answers[i]));
            Assert.Equal(ContentRedactor.Redact(answers[i]), content.GetProperty("output").GetString());
        }

        // One call by id carries its content too, the same.
        var first = calls[0].GetProperty("id").GetString();
        var call = await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/calls/{first}");
        foreach (var field in new[] { "call_id", "model", "messages", "output" })
        {
            Assert.Equal(calls[0].GetProperty("content").GetProperty(field).GetRawText(), call.GetProperty("content").GetProperty(field).GetRawText());
        }

        // The call's start, kept to the microsecond (the store's TIMESTAMPTZ): for retention by age.
        var started = DateTimeOffset.Parse(call.GetProperty("start_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var contentStarted = DateTimeOffset.Parse(call.GetProperty("content").GetProperty("start_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange((started - contentStarted).Ticks, 0, 9);
        var served = detail.GetRawText() + call.GetRawText();
        Assert.DoesNotContain(TestGateway.ApiKey, served, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, served, StringComparison.Ordinal);

        Assert.Equal(2, gateway.Server.Content!.Kept);
        var records = await gateway.StopAndReadAsync();
        await using (var store = DuckDbCallStore.Open(Path.Combine(gateway.DataDir, DuckDbCallStore.FileName), readOnly: true))
        {
            Assert.Equal(2, (await store.GetContentAsync([.. records.Select(r => r.Id)])).Count);
        }

        // The content is in the store only (the journal, the record of truth, holds records without text); the key and
        // the unredacted data are nowhere, and no content problem was logged.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(gateway.DataDir, "journal")))
        {
            Assert.DoesNotContain(Marker, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }

        AssertNowhereOnDisk(gateway.DataDir, Email, TestGateway.ApiKey, Card);
        Assert.DoesNotContain(gateway.Logs, l => l.Text.Contains("content", StringComparison.OrdinalIgnoreCase));
    }
}
