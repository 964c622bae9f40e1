namespace Claudit.Core.Capture;

/// <summary>
/// Failed first attempts known beyond this process (the fleet's, through Redis: docs/scale-out.md), consulted by
/// <see cref="RetryLinker"/> when a retry's first attempt is not in its own table. Both members are called on the
/// finish path, so an implementation must not hold it up: <see cref="Publish"/> hands the attempt over without
/// waiting, <see cref="Find"/> waits a short bounded time and answers null when the shared table is slow or down
/// (a retry left unlinked rather than a call held).
/// </summary>
public interface ISharedRetryAttempts
{
    /// <summary>Makes a failed first attempt known to the other processes for <paramref name="window"/>.</summary>
    void Publish(RetryMatch match, Guid firstAttempt, TimeSpan window);

    /// <summary>The failed first attempt another process published for <paramref name="match"/>, or null.</summary>
    Guid? Find(RetryMatch match);
}
