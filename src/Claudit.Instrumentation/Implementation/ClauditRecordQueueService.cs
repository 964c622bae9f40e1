using Microsoft.Extensions.Hosting;

namespace Claudit.Instrumentation.Implementation;

/// <summary>Runs the record and content loops with the host, and drains both on a graceful stop.</summary>
internal sealed class ClauditRecordQueueService(ClauditRecordQueue records, ContentQueue content) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        records.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(records.StopAsync(cancellationToken), content.StopAsync(cancellationToken));
}
