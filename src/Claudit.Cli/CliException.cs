namespace Claudit.Cli;

/// <summary>A problem with the user's input, reported as one clear line and exit code 2 — never a stack trace.</summary>
public sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public CliException()
    {
    }
}
