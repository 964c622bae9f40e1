using Microsoft.Extensions.Hosting;

namespace Claudit.Instrumentation;

/// <summary>Runs the recorder's loop with the host and drains it on a graceful stop.</summary>
internal sealed class ClauditRecorderService(ClauditRecorder recorder) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recorder.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => recorder.StopAsync(cancellationToken);
}
