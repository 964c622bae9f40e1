namespace Claudit.Server.Reconcile;

/// <summary>The Admin API refused or could not be reached; the message is for people and never holds the key.</summary>
public sealed class AdminApiException : Exception
{
    public AdminApiException(string message)
        : base(message)
    {
    }

    public AdminApiException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public AdminApiException()
    {
    }
}
