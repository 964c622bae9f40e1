namespace Claudit.Server;

/// <summary>The response headers the gateway's policies add (docs/budgets.md#what-a-caller-sees).</summary>
internal static class PolicyHeaders
{
    /// <summary>On a refusal: the policy that refused the call.</summary>
    public const string Policy = "claudit-policy";

    /// <summary>On a forwarded call: each policy at or past its warning share, <c>name NN%</c>, comma-separated.</summary>
    public const string Warning = "claudit-budget-warning";
}
