using Claudit.Core.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Claudit.Instrumentation;

/// <summary>
/// Listens to Claudit's spans (source <c>Claudit</c>) and metrics (meter <c>Claudit</c>). Listening is
/// the one switch: Claudit builds no span or measurement that nobody listens to.
/// </summary>
public static class ClauditInstrumentationExtensions
{
    public static TracerProviderBuilder AddClauditInstrumentation(this TracerProviderBuilder builder) =>
        builder.AddSource(ClauditTracing.SourceName);

    public static MeterProviderBuilder AddClauditInstrumentation(this MeterProviderBuilder builder) =>
        builder.AddMeter(CallTelemetry.MeterName);
}
