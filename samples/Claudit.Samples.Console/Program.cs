using System.Globalization;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using Claudit.Instrumentation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The official SDK with Claudit in its HttpClient: every call (and every retry) becomes a record.
// ANTHROPIC_BASE_URL points it at `claudit mock`; CLAUDIT_JSONL=PATH writes the records; --calls N.
var calls = args.Length >= 2 && args[0] == "--calls" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 6;
var builder = Host.CreateApplicationBuilder(args);
var claudit = builder.Services.AddClaudit();
if (Environment.GetEnvironmentVariable("CLAUDIT_JSONL") is { Length: > 0 } journal)
{
    claudit.AddJsonl(journal);
}

// The SDK has its own timeout; the HttpClient's must not cut it short.
builder.Services.AddHttpClient("anthropic", c => c.Timeout = Timeout.InfiniteTimeSpan).AddClauditHandler();
using var host = builder.Build();
await host.StartAsync();

var http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("anthropic");
using var client = new AnthropicClient(new ClientOptions
{
    HttpClient = http,
    BaseUrl = Environment.GetEnvironmentVariable("ANTHROPIC_BASE_URL") ?? "https://api.anthropic.com",
    ApiKey = Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY") ?? "sk-ant-mock",
});

for (var i = 0; i < calls; i++)
{
    var streaming = i % 2 == 1;
    var request = new MessageCreateParams
    {
        Model = "claude-sonnet-4-5",
        MaxTokens = 300,
        Messages = [new UserMessageParam { Content = $"Sample question {i}: name three uses of a call record." }],
    };

    using (ClauditContext.Tag(user: $"user-{i % 3}", feature: streaming ? "chat" : "summarise", session: "sample"))
    {
        if (streaming)
        {
            var events = 0;
            await foreach (var _ in client.Messages.CreateStreaming(request))
            {
                events++;
            }

            Console.WriteLine($"call {i}: streamed {events} events");
        }
        else
        {
            var message = await client.Messages.Create(request);
            Console.WriteLine($"call {i}: {message.Usage.InputTokens} in, {message.Usage.OutputTokens} out");
        }
    }
}

await host.StopAsync(); // drains the record queue into the sinks
var records = host.Services.GetRequiredService<ClauditRecordQueue>();
Console.WriteLine($"{records.Submitted} records, {records.Dropped} dropped");
return 0;
