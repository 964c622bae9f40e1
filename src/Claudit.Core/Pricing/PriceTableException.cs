namespace Claudit.Core.Pricing;

/// <summary>A price table that cannot be used, with what is wrong and where.</summary>
public sealed class PriceTableException : Exception
{
    public PriceTableException(string message)
        : base(message)
    {
    }

    public PriceTableException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public PriceTableException()
    {
    }
}
