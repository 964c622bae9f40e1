using Anthropic;
using Anthropic.Core;
using Claudit.Instrumentation;
using Claudit.Samples.Web;
using Microsoft.Extensions.AI;

// An ASP.NET app that talks to Claude through IChatClient, recorded by UseClaudit() and the handler
// underneath (one record per call). GET /chat?q=... with an X-User header.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddHttpContextAccessor();
builder.Services.AddClaudit()
    .AddJsonl(Environment.GetEnvironmentVariable("CLAUDIT_JSONL") ?? "claudit-records")
    .AddEnricher<UserFromRequest>();
builder.Services.AddHttpClient("anthropic", c => c.Timeout = Timeout.InfiniteTimeSpan).AddClauditHandler();
builder.Services.AddSingleton(sp => new AnthropicClient(new ClientOptions
{
    HttpClient = sp.GetRequiredService<IHttpClientFactory>().CreateClient("anthropic"),
    BaseUrl = Environment.GetEnvironmentVariable("ANTHROPIC_BASE_URL") ?? "https://api.anthropic.com",
    ApiKey = Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY") ?? "sk-ant-mock",
}));
builder.Services.AddChatClient(sp => sp.GetRequiredService<AnthropicClient>().AsIChatClient("claude-sonnet-4-5", 300)).UseClaudit();

var app = builder.Build();
app.MapGet("/chat", async (IChatClient chat, string q, CancellationToken cancellationToken) =>
{
    using (ClauditContext.Tag(feature: "web-chat"))
    {
        var response = await chat.GetResponseAsync(q, cancellationToken: cancellationToken);
        return response.Text;
    }
});
app.Run();
