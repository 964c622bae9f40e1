namespace Claudit.Server.Budgets;

/// <summary>
/// A reservation's answer. Admitted: the <see cref="Hold"/> to settle, and each claim's counter as it was just
/// before this call (for warnings). Refused: nothing was reserved; <see cref="RefusedClaim"/> is the index of
/// the first claim that did not fit, its counter's <see cref="Totals"/>, and when it will next have room.
/// </summary>
public readonly struct LedgerOutcome
{
    private LedgerOutcome(LedgerHold? hold, CounterTotals[]? before, int refused, CounterTotals totals, DateTimeOffset resetsAt)
    {
        Hold = hold;
        Before = before ?? [];
        RefusedClaim = refused;
        Totals = totals;
        ResetsAt = resetsAt;
    }

    public bool Admitted => Hold is not null;

    public LedgerHold? Hold { get; }

    public IReadOnlyList<CounterTotals> Before { get; }

    public int RefusedClaim { get; }

    public CounterTotals Totals { get; }

    public DateTimeOffset ResetsAt { get; }

    public static LedgerOutcome Admit(LedgerHold hold, CounterTotals[] before) => new(hold, before, -1, default, default);

    public static LedgerOutcome Refuse(int claim, CounterTotals totals, DateTimeOffset resetsAt) => new(null, null, claim, totals, resetsAt);
}
