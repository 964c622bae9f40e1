namespace Claudit.Server.Reconcile;

/// <summary>What the background reconciliation last did, for <c>/api/reconcile</c>: when, over which days, and the error if it failed.</summary>
public sealed record ReconcileStatus(DateTimeOffset? LastRun, DateTimeOffset? Since, DateTimeOffset? Until, string? LastError, int ApiCalls);
