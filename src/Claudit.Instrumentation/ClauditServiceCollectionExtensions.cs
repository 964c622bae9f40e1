using System.Diagnostics.Metrics;
using Claudit.Core.Capture;
using Claudit.Core.Pricing;
using Claudit.Core.Telemetry;
using Claudit.Instrumentation.Implementation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Claudit.Instrumentation;

public static class ClauditServiceCollectionExtensions
{
    /// <summary>
    /// Registers Claudit's in-process capture: <see cref="ClauditHandler"/>, the chat middleware's
    /// services (<c>UseClaudit()</c>), Core's <see cref="CallFinisher"/> and the record queue that feeds
    /// the sinks (run by a hosted service). Options are checked when the host starts. The clock is the
    /// registered <see cref="TimeProvider"/> (the system's by default), the prices the registered
    /// <see cref="PriceTable"/> (the embedded table by default; <c>.UsePrices(table)</c>). Add sinks on
    /// the returned builder: <c>.AddJsonl(path)</c>, <c>.AddServer(url, token)</c>, <c>.AddOtlp()</c>.
    /// </summary>
    public static IClauditBuilder AddClaudit(this IServiceCollection services, Action<ClauditOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ClauditOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClauditOptions>, ClauditOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(PriceTable.Default);
        services.TryAddSingleton(sp => new CostCalculator(sp.GetRequiredService<PriceTable>()));
        services.TryAddSingleton(sp => new RetryLinker(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new CallTelemetry(sp.GetService<IMeterFactory>(), sp.GetRequiredService<PriceTable>()));
        services.TryAddSingleton(sp => new ClauditRecordQueue(sp.GetRequiredService<IOptions<ClauditOptions>>(), sp.GetServices<IClauditSink>(), sp.GetService<ILogger<ClauditRecordQueue>>()));
        services.TryAddSingleton(sp => new ContentQueue(sp.GetRequiredService<IOptions<ClauditOptions>>(), sp.GetServices<IClauditContentSink>(), sp.GetService<ILogger<ContentQueue>>()));
        services.TryAddSingleton(sp => new CallTagger(sp.GetServices<IClauditEnricher>()));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ClauditOptions>>().Value;
            return new CallFinisher(sp.GetRequiredService<CostCalculator>(), sp.GetRequiredService<RetryLinker>(), sp.GetRequiredService<CallTelemetry>(),
                sp.GetRequiredService<ClauditRecordQueue>(), new CallGuards { QualityFlags = o.QualityFlags, RecordContextUtilisation = o.RecordContextUtilisation });
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ClauditRecordQueueService>());
        services.TryAddTransient(sp => new ClauditHandler(sp.GetRequiredService<IOptions<ClauditOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<CallTagger>(), sp.GetRequiredService<CallFinisher>()));
        return new ClauditBuilder(services);
    }

    /// <summary>
    /// A new <see cref="ClauditHandler"/> for a pipeline built by hand, e.g. the official SDK's
    /// <c>ClientOptions.Handlers</c> (a handler instance belongs to one pipeline: ask for one per client).
    /// </summary>
    public static ClauditHandler CreateClauditHandler(this IServiceProvider services) => services.GetRequiredService<ClauditHandler>();
}
