namespace Claudit.Server.Budgets;

/// <summary>What a policy does at its limit: refuse the call (HTTP 429), or forward it with a <c>claudit-budget-warning</c> header.</summary>
public enum PolicyAction
{
    Block,
    Warn,
}
