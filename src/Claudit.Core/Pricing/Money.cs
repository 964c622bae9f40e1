namespace Claudit.Core.Pricing;

/// <summary>USD amounts as people read them.</summary>
internal static class Money
{
    /// <summary>Drops trailing zeros (0.00384000 → 0.00384) left by exact decimal arithmetic; the value is unchanged.</summary>
    public static decimal Trim(decimal value) => value / 1.000000000000000000000000000000000m;
}
