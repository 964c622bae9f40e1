namespace Claudit.Server.Budgets;

/// <summary>What a finished call used, as its settlement reports it to the ledger: its recorded priced cost and its tokens.</summary>
public readonly record struct LedgerAmounts(decimal Usd, long Tokens)
{
    /// <summary>The amount a counter of <paramref name="unit"/> keeps for the call: a request is one whatever happened.</summary>
    public decimal In(PolicyUnit unit) => unit switch
    {
        PolicyUnit.Usd => Usd,
        PolicyUnit.Tokens => Tokens,
        _ => 1,
    };
}
