namespace Claudit.Store.ReadModel;

/// <summary>How a call list is sorted.</summary>
public enum CallOrder
{
    /// <summary>Most recent first.</summary>
    Recent,

    /// <summary>Most expensive first (priced calls only).</summary>
    Cost,

    /// <summary>Slowest first.</summary>
    Latency,
}
