namespace Claudit.Server.Tests.Support;

/// <summary>
/// Tests that read a gateway's <c>/metrics</c> run alone, after the parallel ones. The OpenTelemetry SDK
/// listens to meters by name process-wide, so a gateway started or disposed by another test at the
/// same time shares, and on disposal can take away, the <c>Claudit</c> meter's streams.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "gateway metrics";
}
