using Claudit.Alerts.Evaluation;

namespace Claudit.Alerts.Notifications;

/// <summary>
/// Who may send a notification. In one gateway, always this one (<see cref="InProcessSendLease"/>).
/// With several gateways evaluating the same rules over shared records (issue 14), an implementation
/// backed by a lease lets exactly one of them send each transition, so a person gets one message per alert.
/// </summary>
public interface IAlertSendLease
{
    /// <summary>True when this process is the one to send <paramref name="transition"/>.</summary>
    ValueTask<bool> TryClaimAsync(AlertTransition transition, CancellationToken cancellationToken);
}

/// <summary>The lease of a single gateway: it sends everything it evaluates.</summary>
public sealed class InProcessSendLease : IAlertSendLease
{
    public static InProcessSendLease Instance { get; } = new();

    public ValueTask<bool> TryClaimAsync(AlertTransition transition, CancellationToken cancellationToken) => ValueTask.FromResult(true);
}
