namespace Claudit.Server.Budgets;

/// <summary>A policy file that cannot be used: the message is one line naming the file, the policy and the field.</summary>
public sealed class PolicyFileException : Exception
{
    public PolicyFileException(string message)
        : base(message)
    {
    }

    public PolicyFileException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public PolicyFileException()
    {
    }
}
