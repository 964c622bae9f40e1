using Claudit.Core.Records;

namespace Claudit.Instrumentation;

/// <summary>
/// Where captured prompts and outputs go (<see cref="ClauditOptions.CaptureContent"/>): a sink apart
/// from the records', so content can be kept elsewhere, for less time, by fewer people. The text is
/// already redacted when it arrives.
/// </summary>
public interface IClauditContentSink
{
    Task WriteAsync(IReadOnlyList<CallContent> batch, CancellationToken cancellationToken);

    Task FlushAsync(CancellationToken cancellationToken);
}
