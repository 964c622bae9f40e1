namespace Claudit.Server.Budgets;

/// <summary>A <c>budgets</c> entry (USD) or a <c>rate_limits</c> entry (requests or tokens).</summary>
public enum PolicyKind
{
    Budget,
    RateLimit,
}
