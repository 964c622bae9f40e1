using Claudit.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Claudit.Instrumentation;

/// <summary>
/// Listens to Claudit's spans and metrics and, when the provider is built from the application's
/// services, turns their emission on (<see cref="ClauditOptions.EmitTelemetry"/>).
/// </summary>
public static class ClauditInstrumentationExtensions
{
    public static TracerProviderBuilder AddClauditInstrumentation(this TracerProviderBuilder builder) =>
        builder.AddSource(ClauditTracing.SourceName)
            .ConfigureServices(services => services.Configure<ClauditOptions>(o => o.EmitTelemetry = true));

    public static MeterProviderBuilder AddClauditInstrumentation(this MeterProviderBuilder builder) =>
        builder.AddMeter(ClauditMetrics.MeterName)
            .ConfigureServices(services => services.Configure<ClauditOptions>(o => o.EmitTelemetry = true));
}
