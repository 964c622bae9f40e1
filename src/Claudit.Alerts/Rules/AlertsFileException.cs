namespace Claudit.Alerts.Rules;

/// <summary>A rules file that cannot be used; the message is one line naming the file, the rule and the field.</summary>
public sealed class AlertsFileException : Exception
{
    public AlertsFileException()
    {
    }

    public AlertsFileException(string message)
        : base(message)
    {
    }

    public AlertsFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
