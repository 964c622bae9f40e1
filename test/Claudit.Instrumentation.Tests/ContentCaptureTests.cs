using Microsoft.Extensions.DependencyInjection;
using Claudit.Instrumentation.Implementation;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Claudit.Instrumentation.Tests;

/// <summary>Opt-in content capture: redacted prompts and outputs in a sink of their own, joined to the record by id.</summary>
public class ContentCaptureTests(MockFixture mock) : IClassFixture<MockFixture>
{
    [Fact]
    public async Task Captured_content_is_redacted_and_joins_the_handlers_record()
    {
        var dir = Directory.CreateTempSubdirectory("claudit-content-");
        try
        {
            var path = Path.Combine(dir.FullName, "content.jsonl");
            Guid recordId;
            string answer;
            await using (var h = Harness.Create(mock, b => b.AddContentJsonl(path)))
            {
                using var client = h.Client();
                var chat = new ChatClientBuilder(client.AsIChatClient(Harness.Model, 256)).UseClaudit().Build(h.Services);
                var response = await chat.GetResponseAsync(
                [
                    new ChatMessage(ChatRole.System, "You help with billing."),
                    new ChatMessage(ChatRole.User, "I am jane@example.com, card 4111 1111 1111 1111, call me on +1 415 555 0100."),
                ]);
                answer = response.Text;
                recordId = Assert.Single(await h.Sink.WaitForAsync(1)).Id;
            }

            using var line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(path)));
            var root = line.RootElement;
            Assert.Equal(recordId, root.GetProperty("call_id").GetGuid());
            Assert.Equal(Harness.Model, root.GetProperty("model").GetString());
            var messages = root.GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal(["system", "user"], messages.Select(m => m.GetProperty("role").GetString()));
            var user = messages[1].GetProperty("text").GetString()!;
            Assert.Equal("I am [EMAIL], card [CARD], call me on [PHONE].", user);
            Assert.Equal(answer, root.GetProperty("output").GetString());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Without_a_content_sink_nothing_is_captured_even_when_asked()
    {
        await using var h = Harness.Create(mock, options: o => o.CaptureContent = true);
        Assert.False(h.Services.GetRequiredService<ContentQueue>().Enabled);
        using var client = h.Client();
        var chat = new ChatClientBuilder(client.AsIChatClient(Harness.Model, 64)).UseClaudit().Build(h.Services);
        await chat.GetResponseAsync("Nothing to keep.");
        await h.Records.StopAsync();
        Assert.Single(h.Sink.Records);
        Assert.Equal(0, h.Services.GetRequiredService<ContentQueue>().Dropped);
    }
}
