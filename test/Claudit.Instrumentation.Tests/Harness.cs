using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using Microsoft.Extensions.DependencyInjection;

namespace Claudit.Instrumentation.Tests;

/// <summary>
/// The services an application would have after <c>AddClaudit()</c>, with a collecting sink, and
/// official SDK clients pointed at the mock with Claudit's handler in their pipeline.
/// </summary>
public sealed class Harness : IAsyncDisposable
{
    public const string Model = "claude-sonnet-4-5";

    private Harness(ServiceProvider services, CollectingSink sink, string baseUrl)
    {
        Services = services;
        Sink = sink;
        BaseUrl = baseUrl;
    }

    public ServiceProvider Services { get; }

    public CollectingSink Sink { get; }

    public string BaseUrl { get; }

    /// <summary>The record queue: its counters, and <c>StopAsync</c> to drain it into the sink.</summary>
    public ClauditRecordQueue Records => Services.GetRequiredService<ClauditRecordQueue>();

    public static Harness Create(MockFixture mock, Action<IClauditBuilder>? configure = null, Action<ClauditOptions>? options = null, Action<IServiceCollection>? services = null)
    {
        var sink = new CollectingSink();
        var collection = new ServiceCollection();
        collection.AddLogging();
        var builder = collection.AddClaudit(options).AddSink(sink);
        configure?.Invoke(builder);
        services?.Invoke(collection);
        return new Harness(collection.BuildServiceProvider(), sink, mock.BaseUrl);
    }

    /// <summary>The SDK with Claudit in <c>ClientOptions.Handlers</c> (after any fault handler, so it sees the request as sent).</summary>
    public AnthropicClient Client(int maxRetries = 0, string? fault = null, bool sdkTracing = false)
    {
        List<DelegatingHandler> handlers = fault is null ? [] : [new FaultHandler(fault)];
        handlers.Add(Services.CreateClauditHandler());
        return new AnthropicClient(new ClientOptions
        {
            ApiKey = "sk-ant-api03-" + "instrumentation-test", // split so secret scanners do not take it for a leak
            BaseUrl = BaseUrl,
            MaxRetries = maxRetries,
            Timeout = TimeSpan.FromSeconds(20),
            Handlers = handlers,
            OpenTelemetry = new OpenTelemetryOptions { Traces = sdkTracing },
        });
    }

    public static MessageCreateParams Params(string text, long maxTokens = 1024, string model = Model) => new()
    {
        Model = model,
        MaxTokens = maxTokens,
        Messages = [new UserMessageParam { Content = text }],
    };

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
