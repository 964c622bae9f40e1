using System.Diagnostics;
using System.Diagnostics.Metrics;
using Claudit.Core.Anthropic;
using Claudit.Core.Capture;
using Claudit.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Claudit.Instrumentation.Tests;

/// <summary>Spans and metrics are listened to by name process-wide: these tests run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<MockFixture>
{
    public const string Name = "Telemetry";
}

[Collection(TelemetryCollection.Name)]
public class TelemetryTests(MockFixture mock)
{
    private static readonly ActivitySource s_app = new("Claudit.Tests.App");

    [Fact]
    public async Task Each_call_is_a_genai_span_with_cost_in_the_callers_trace()
    {
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(s_app.Name).AddClauditInstrumentation().AddInMemoryExporter(exported).Build();
        await using var h = Harness.Create(mock);
        using var client = h.Client();
        ActivityContext root;
        using (var request = s_app.StartActivity("handle request"))
        {
            root = request!.Context;
            await client.Messages.Create(Harness.Params("Trace this call."));
        }

        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        var span = Assert.Single(exported, a => a.Source.Name == ClauditTracing.SourceName);
        Assert.Equal($"chat {Harness.Model}", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(root.TraceId, span.TraceId);
        Assert.Equal(root.SpanId, span.ParentSpanId);
        Assert.Equal("anthropic", span.GetTagItem(GenAiConventions.ProviderName));
        Assert.Equal(record.Usage!.TotalInputTokens, span.GetTagItem(GenAiConventions.UsageInputTokens));
        Assert.Equal(record.Usage.OutputTokens, span.GetTagItem(GenAiConventions.UsageOutputTokens));
        Assert.Equal((double)record.Cost!.TotalUsd, span.GetTagItem(ClauditAttributes.CostUsd));
        Assert.Equal(record.Id.ToString(), span.GetTagItem(ClauditAttributes.CallId));
        Assert.Equal(new[] { "end_turn" }, span.GetTagItem(GenAiConventions.ResponseFinishReasons));
        Assert.Equal("127.0.0.1", span.GetTagItem(GenAiConventions.ServerAddress));
    }

    [Fact]
    public async Task Failed_call_span_has_error_type_and_error_status()
    {
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddClauditInstrumentation().AddInMemoryExporter(exported).Build();
        await using var h = Harness.Create(mock);
        using var client = h.Client(fault: "overloaded");
        await Assert.ThrowsAnyAsync<Exception>(() => client.Messages.Create(Harness.Params("Span of a failure.")));

        var span = Assert.Single(exported, a => a.Source.Name == ClauditTracing.SourceName);
        Assert.Equal(ErrorTypes.Overloaded, span.GetTagItem(GenAiConventions.ErrorType));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task With_the_sdks_own_spans_on_there_is_one_span_per_call_carrying_claudits_attributes()
    {
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource("com.anthropic.sdk.csharp").AddClauditInstrumentation().AddInMemoryExporter(exported).Build();
        await using var h = Harness.Create(mock);
        using var client = h.Client(sdkTracing: true);
        await client.Messages.Create(Harness.Params("One span, not two."));
        await foreach (var _ in client.Messages.CreateStreaming(Harness.Params("One streamed span, not two.")))
        {
        }

        var records = await h.Sink.WaitForAsync(2);
        Assert.DoesNotContain(exported, a => a.Source.Name == ClauditTracing.SourceName);
        Assert.Equal(2, exported.Count);
        Assert.Equal(records.Select(r => r.Id.ToString()), exported.Select(a => (string?)a.GetTagItem(ClauditAttributes.CallId)));
        Assert.All(exported, a => Assert.NotNull(a.GetTagItem(ClauditAttributes.CostUsd)));
        Assert.All(exported, a => Assert.NotNull(a.GetTagItem(GenAiConventions.UsageCacheReadTokens)));
        // The records name the SDK's span as theirs: logs and spans join on it.
        Assert.Equal(exported.Select(a => a.SpanId.ToHexString()), records.Select(r => r.Tags.SpanId));
    }

    [Fact]
    public async Task Sdk_retries_link_through_the_sdks_call_span()
    {
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource("com.anthropic.sdk.csharp").Build();
        await using var h = Harness.Create(mock);
        using var client = h.Client(maxRetries: 1, fault: "api_error", sdkTracing: true);
        await Assert.ThrowsAnyAsync<Exception>(() => client.Messages.Create(Harness.Params("Linked by the call span.")));

        var records = (await h.Sink.WaitForAsync(2)).OrderBy(r => r.Tags.Attempt).ToList();
        Assert.Equal(records[0].Id.ToString(), records[1].Tags.ParentId);
        Assert.Equal(0, h.Services.GetRequiredService<RetryLinker>().Count); // the exact link was used, not the fingerprint linker
    }

    [Fact]
    public async Task Metrics_of_each_call_on_the_claudit_meter()
    {
        await using var h = Harness.Create(mock, services: s => s.AddMetrics());
        var meters = h.Services.GetRequiredService<IMeterFactory>();
        using var requests = new MetricCollector<long>(meters, CallTelemetry.MeterName, "claude_requests");
        using var cost = new MetricCollector<double>(meters, CallTelemetry.MeterName, "claude_cost_usd");
        using var duration = new MetricCollector<double>(meters, CallTelemetry.MeterName, GenAiConventions.OperationDurationMetric);
        using var client = h.Client();
        await client.Messages.Create(Harness.Params("Count me."));

        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        var request = Assert.Single(requests.GetMeasurementSnapshot());
        Assert.Equal(1, request.Value);
        Assert.Equal("ok", request.Tags["status"]);
        Assert.Equal("end_turn", request.Tags["stop_reason"]);
        Assert.Equal(record.ModelUsed, request.Tags["model"]);
        Assert.Equal((double)record.Cost!.TotalUsd, Assert.Single(cost.GetMeasurementSnapshot()).Value, 9);
        Assert.Equal(record.LatencyMs / 1000.0, Assert.Single(duration.GetMeasurementSnapshot()).Value, 9);
    }

    [Fact]
    public async Task Without_a_listener_no_span_is_made_and_with_AddClauditInstrumentation_one_is()
    {
        await using var h = Harness.Create(mock, services: s => s.AddOpenTelemetry().WithTracing(t => t.AddClauditInstrumentation()));
        Assert.False(ClauditTracing.Source.HasListeners()); // the provider is not built yet: nobody listens

        using var client = h.Client();
        await client.Messages.Create(Harness.Params("Nobody listens."));
        await h.Sink.WaitForAsync(1);

        var exported = new List<Activity>();
        using var listening = Sdk.CreateTracerProviderBuilder().AddClauditInstrumentation().AddInMemoryExporter(exported).Build();
        _ = h.Services.GetRequiredService<TracerProvider>(); // the app's own provider, from AddClauditInstrumentation in its services
        Assert.True(ClauditTracing.Source.HasListeners());
        await client.Messages.Create(Harness.Params("Now somebody does."));
        await h.Sink.WaitForAsync(2);
        Assert.Single(exported, a => a.Source.Name == ClauditTracing.SourceName);
    }

    [Fact]
    public void AddOtlp_registers_tracing_and_metrics_providers_with_claudits_source_and_meter()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddClaudit().AddOtlp(o => o.Endpoint = new Uri("http://127.0.0.1:4317"));
        using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetService<TracerProvider>());
        Assert.NotNull(provider.GetService<OpenTelemetry.Metrics.MeterProvider>());
        Assert.True(ClauditTracing.Source.HasListeners()); // listening is what turns Claudit's spans on
    }
}
