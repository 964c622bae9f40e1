using System.Diagnostics;
using Anthropic;
using Anthropic.Core;
using Claudit.Core.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Claudit.Instrumentation.Tests;

public class TagTests(MockFixture mock) : IClassFixture<MockFixture>
{
    /// <summary>Stands for "the tenant of the current HTTP request": fills what the code did not say.</summary>
    private sealed class TenantEnricher : IClauditEnricher
    {
        public CallTags Enrich(CallTags tags) => tags.Tenant is null ? tags with { Tenant = "acme" } : tags;
    }

    [Fact]
    public async Task Ambient_scopes_nest_enrichers_fill_gaps_and_the_trace_context_is_taken()
    {
        await using var h = Harness.Create(mock, b => b.AddEnricher<TenantEnricher>());
        using var client = h.Client();
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        using (ClauditContext.Tag(user: "u1", feature: "summarise", session: "s9", properties: new Dictionary<string, string> { ["team"] = "search" }))
        {
            await client.Messages.Create(Harness.Params("Tagged outer."));
            using (ClauditContext.Tag(feature: "translate", tenant: "globex"))
            {
                await client.Messages.Create(Harness.Params("Tagged inner."));
            }
        }

        await client.Messages.Create(Harness.Params("Untagged."));
        var records = await h.Sink.WaitForAsync(3);

        var outer = records[0].Tags;
        Assert.Equal(("u1", "summarise", "s9", "acme"), (outer.User, outer.Feature, outer.Session, outer.Tenant));
        Assert.Equal("search", outer.Properties!["team"]);
        Assert.Equal(activity.TraceId.ToHexString(), outer.TraceId);
        Assert.Equal(activity.SpanId.ToHexString(), outer.SpanId);

        var inner = records[1].Tags;
        Assert.Equal(("u1", "translate", "s9", "globex"), (inner.User, inner.Feature, inner.Session, inner.Tenant));
        Assert.Equal("search", inner.Properties!["team"]);

        var none = records[2].Tags;
        Assert.Equal((null, null, null, "acme"), (none.User, none.Feature, none.Session, none.Tenant));
        Assert.Equal(0, none.Attempt);
    }

    [Fact]
    public async Task Parallel_flows_keep_their_own_tags()
    {
        await using var h = Harness.Create(mock);
        using var client = h.Client();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            using (ClauditContext.Tag(user: $"user-{i}"))
            {
                await Task.Yield();
                await client.Messages.Create(Harness.Params($"Parallel call number {i}."));
            }
        }));

        var records = await h.Sink.WaitForAsync(6);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"user-{i}"), records.Select(r => r.Tags.User!).Order());
    }

    [Fact]
    public async Task Named_http_client_with_AddClauditHandler_records_sdk_calls()
    {
        await using var h = Harness.Create(mock, services: s => s.AddHttpClient("anthropic", c => c.Timeout = Timeout.InfiniteTimeSpan).AddClauditHandler());
        var http = h.Services.GetRequiredService<IHttpClientFactory>().CreateClient("anthropic");
        using var client = new AnthropicClient(new ClientOptions { ApiKey = "sk-ant-api03-factory", BaseUrl = h.BaseUrl, HttpClient = http, MaxRetries = 0 });
        var message = await client.Messages.Create(Harness.Params("Through the factory's client."));

        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        Assert.Equal(message.Usage.OutputTokens, record.Usage!.OutputTokens);
        Assert.Equal(200, record.HttpStatus);
    }

    [Fact]
    public async Task Requests_that_are_not_api_calls_pass_untouched()
    {
        await using var h = Harness.Create(mock, services: s => s.AddHttpClient("plain").AddClauditHandler());
        var http = h.Services.GetRequiredService<IHttpClientFactory>().CreateClient("plain");
        using var response = await http.GetAsync(new Uri(h.BaseUrl + "/healthz"));
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        await h.Records.StopAsync();
        Assert.Equal(0, h.Records.Submitted);
    }
}
