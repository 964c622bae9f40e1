namespace Claudit.Core.Capture;

/// <summary>
/// Failed first attempts known beyond this process (the fleet's, through Redis: docs/scale-out.md), consulted by
/// <see cref="RetryLinker"/> for a retry whose first attempt it did not see. Neither member may hold a call up:
/// <see cref="Publish"/> hands the attempt over without waiting; <see cref="FindAsync"/> waits (asynchronously) a
/// short bounded time and answers null when the shared table is slow or down — a retry left unlinked, never a call held.
/// </summary>
public interface ISharedRetryAttempts
{
    /// <summary>Makes a failed first attempt known to the other processes for <paramref name="window"/>.</summary>
    void Publish(RetryMatch match, Guid firstAttempt, TimeSpan window);

    /// <summary>The failed first attempt another process published for <paramref name="match"/>, or null.</summary>
    ValueTask<Guid?> FindAsync(RetryMatch match, CancellationToken cancellationToken);
}
