using Microsoft.Extensions.Logging;

namespace Claudit.Instrumentation.Implementation;

/// <summary>One call into a sink: a failing sink is logged and reported, never allowed to stop the loop or the other sinks.</summary>
internal static class SinkCall
{
    public static async Task<bool> TryAsync(ILogger logger, string sink, int count, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // a failing sink is counted and logged; the loop and the other sinks go on
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ClauditLog.SinkFailed(logger, sink, count, ex.Message);
            return false;
        }
    }
}
