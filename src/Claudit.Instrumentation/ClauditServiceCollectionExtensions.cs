using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Claudit.Instrumentation;

public static class ClauditServiceCollectionExtensions
{
    /// <summary>
    /// Registers Claudit's recorder (the bounded queue and the loop that feeds the sinks, run by a
    /// hosted service) and <see cref="ClauditHandler"/>. Add sinks on the returned builder:
    /// <c>.AddJsonl(path)</c>, <c>.AddServer(url, token)</c>, <c>.AddOtlp()</c>.
    /// </summary>
    public static IClauditBuilder AddClaudit(this IServiceCollection services, Action<ClauditOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ClauditOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(sp => new ClauditRecorder(
            sp.GetRequiredService<IOptions<ClauditOptions>>().Value,
            sp.GetServices<IClauditSink>(),
            sp.GetServices<IClauditEnricher>(),
            sp.GetService<IMeterFactory>(),
            sp.GetService<ILogger<ClauditRecorder>>(),
            sp.GetServices<IClauditContentSink>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ClauditRecorderService>());
        services.TryAddTransient<ClauditHandler>();
        return new ClauditBuilder(services);
    }

    /// <summary>
    /// A new <see cref="ClauditHandler"/> for a pipeline built by hand, e.g. the official SDK's
    /// <c>ClientOptions.Handlers</c> (a handler instance belongs to one pipeline: ask for one per client).
    /// </summary>
    public static ClauditHandler CreateClauditHandler(this IServiceProvider services) => services.GetRequiredService<ClauditHandler>();
}
