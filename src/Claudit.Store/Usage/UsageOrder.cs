namespace Claudit.Store.Usage;

/// <summary>Which amount ranks scopes when only the top ones are asked for.</summary>
public enum UsageOrder
{
    Cost,
    Requests,
    Tokens,
}
