namespace Claudit.Server.Budgets;

/// <summary>What a policy counts: spend in USD, calls, or tokens (all input, cached or not, plus output).</summary>
public enum PolicyUnit
{
    Usd,
    Requests,
    Tokens,
}
