namespace Claudit.Store;

/// <summary>A store that cannot be used (locked, missing, unwritable, too new), said in one line a person can act on.</summary>
public sealed class StoreException : Exception
{
    public StoreException(string message)
        : base(message)
    {
    }

    public StoreException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public StoreException()
    {
    }
}
