namespace Claudit.Server.Access;

/// <summary>A token file that cannot be used, with one line saying where and why.</summary>
public sealed class AccessTokenFileException : Exception
{
    public AccessTokenFileException(string message)
        : base(message)
    {
    }

    public AccessTokenFileException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public AccessTokenFileException()
    {
    }
}
