namespace Claudit.Core.Reconcile;

/// <summary>The verdict of a row, as the CLI prints it and the JSON and the store carry it.</summary>
public static class ReconcileVerdicts
{
    /// <summary>Every token class and the cost agree within the tolerance.</summary>
    public const string Match = "match";

    /// <summary>Anthropic billed more usage than Claudit recorded: calls made around Claudit.</summary>
    public const string UnrecordedUsage = "unrecorded usage";

    /// <summary>Claudit recorded more usage than Anthropic billed (calls not billed yet, or billed in another bucket).</summary>
    public const string UnbilledRecords = "unbilled records";

    /// <summary>The same tokens, a different cost: a wrong or outdated rate in the price table, or an unpriced model.</summary>
    public const string PriceMismatch = "price mismatch";
}
