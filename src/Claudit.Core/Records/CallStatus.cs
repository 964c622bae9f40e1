namespace Claudit.Core.Records;

public enum CallStatus
{
    Ok,
    Error,
}
