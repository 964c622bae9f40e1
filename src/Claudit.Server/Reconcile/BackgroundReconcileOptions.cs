using Claudit.Core.Reconcile;

namespace Claudit.Server.Reconcile;

/// <summary>
/// <c>claudit serve --admin-key-env NAME</c>: reconcile finished UTC days in the background against the Admin API
/// at the gateway's upstream. A class, not a record, so that no generated <c>ToString</c> can print the key.
/// </summary>
public sealed class BackgroundReconcileOptions(string adminKey)
{
    /// <summary>The Admin API key, read from the environment by the caller; sent in <c>x-api-key</c> and nowhere else.</summary>
    internal string AdminKey { get; } = string.IsNullOrWhiteSpace(adminKey) ? throw new ArgumentException("an Admin API key is needed", nameof(adminKey)) : adminKey;

    /// <summary>Finished days reconciled (again) on every pass: usage and cost can still move for a while after a day ends.</summary>
    public int LookbackDays { get; init; } = 7;

    /// <summary>Between two passes.</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Between two Admin API calls: one a minute, as the docs ask of anything that polls.</summary>
    public TimeSpan MinCallInterval { get; init; } = TimeSpan.FromMinutes(1);

    public ReconcileTolerance Tolerance { get; init; } = ReconcileTolerance.Default;

    public override string ToString() => $"reconcile the last {LookbackDays} finished days every {Period} (Admin key set)";
}
