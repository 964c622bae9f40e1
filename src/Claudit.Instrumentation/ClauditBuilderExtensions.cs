using Claudit.Core.Pricing;
using Claudit.Instrumentation.Implementation;
using Claudit.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Claudit.Instrumentation;

public static class ClauditBuilderExtensions
{
    /// <summary>Records to Claudit's JSONL journal: a directory (daily <c>calls-*.jsonl</c>) or a <c>*.jsonl</c> path (its directory and prefix).</summary>
    public static IClauditBuilder AddJsonl(this IClauditBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Services.AddSingleton<IClauditSink>(sp =>
            new JsonlSink(new JsonlJournalWriter(JsonlSink.OptionsFor(path), sp.GetService<TimeProvider>())));
        return builder;
    }

    /// <summary>Ships records to a Claudit server (<c>{url}/api/ingest</c>), batched, with <c>Claudit-Token</c> when given.</summary>
    public static IClauditBuilder AddServer(this IClauditBuilder builder, string url, string? token = null)
    {
        var options = new ServerSinkOptions { Url = new Uri(url, UriKind.Absolute), Token = token };
        builder.Services.AddHttpClient(ServerSink.HttpClientName);
        builder.Services.AddSingleton<IClauditSink>(sp =>
            new ServerSink(sp.GetRequiredService<IHttpClientFactory>().CreateClient(ServerSink.HttpClientName), options));
        return builder;
    }

    /// <summary>Captured prompts and outputs (redacted) to a JSONL file of their own; turns <see cref="ClauditOptions.CaptureContent"/> on.</summary>
    public static IClauditBuilder AddContentJsonl(this IClauditBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Services.Configure<ClauditOptions>(o => o.CaptureContent = true);
        builder.Services.AddSingleton<IClauditContentSink>(_ => new JsonlContentSink(path));
        return builder;
    }

    /// <summary>Any sink of the application's own.</summary>
    public static IClauditBuilder AddSink(this IClauditBuilder builder, IClauditSink sink)
    {
        builder.Services.AddSingleton(sink);
        return builder;
    }

    public static IClauditBuilder AddEnricher<TEnricher>(this IClauditBuilder builder)
        where TEnricher : class, IClauditEnricher
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IClauditEnricher, TEnricher>());
        return builder;
    }

    /// <summary>Prices calls with this table instead of the embedded one (e.g. <c>PriceTable.Parse(File.ReadAllBytes(path), path)</c>).</summary>
    public static IClauditBuilder UsePrices(this IClauditBuilder builder, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        builder.Services.Replace(ServiceDescriptor.Singleton(prices));
        return builder;
    }

    /// <summary>
    /// Each call's span and metrics exported over OTLP: registers OpenTelemetry tracing and metrics that
    /// listen to Claudit (<c>AddClauditInstrumentation()</c>) with the OTLP exporter (endpoint from
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> unless <paramref name="configure"/> sets one). An application
    /// with its own OpenTelemetry setup calls <c>AddClauditInstrumentation()</c> there instead.
    /// </summary>
    public static IClauditBuilder AddOtlp(this IClauditBuilder builder, Action<OtlpExporterOptions>? configure = null)
    {
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddClauditInstrumentation().AddOtlpExporter(o => configure?.Invoke(o)))
            .WithMetrics(m => m.AddClauditInstrumentation().AddOtlpExporter(o => configure?.Invoke(o)));
        return builder;
    }
}
