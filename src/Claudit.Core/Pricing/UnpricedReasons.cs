namespace Claudit.Core.Pricing;

/// <summary>Why a call carries no cost.</summary>
public static class UnpricedReasons
{
    public const string UnknownModel = "unknown_model";
    public const string NoUsage = "no_usage";
    public const string NoModel = "no_model";
}
