using System.Diagnostics;
using System.Diagnostics.Metrics;
using Claudit.Core.Records;
using Claudit.Core.Telemetry;

namespace Claudit.Instrumentation;

/// <summary>
/// The span and metrics of a finished call, through Core's <see cref="ClauditTracing"/> and
/// <see cref="ClauditMetrics"/>. When the official SDK's own span for the call
/// (<c>com.anthropic.sdk.csharp</c>) is still live, Claudit writes its attributes (cost, cache
/// tokens, tags, call id) onto that span rather than starting a second span for the same call.
/// </summary>
internal sealed class ClauditTelemetry(IMeterFactory? meters) : IDisposable
{
    public const string SdkSourceName = "com.anthropic.sdk.csharp";

    private readonly ClauditMetrics _metrics = new(meters);

    public void Record(CallRecord record, Activity? sdkSpan, string? serverAddress, int? serverPort)
    {
        _metrics.Record(record);
        if (sdkSpan is { IsStopped: false, IsAllDataRequested: true })
        {
            ClauditTracing.SetAttributes(sdkSpan, record);
            return;
        }

        ClauditTracing.EmitSpan(record, serverAddress, serverPort);
    }

    /// <summary>The SDK's span for the call, when the call runs inside one.</summary>
    public static Activity? SdkSpan(Activity? current) =>
        current is not null && current.Source.Name == SdkSourceName ? current : null;

    public void Dispose() => _metrics.Dispose();
}
