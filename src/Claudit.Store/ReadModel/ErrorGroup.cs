namespace Claudit.Store.ReadModel;

/// <summary>The errors in range sharing a type, HTTP status and message: how many, how many of them happened on a retry attempt (<c>tags.attempt</c> above 0), and when they were first and last seen.</summary>
public sealed record ErrorGroup(string ErrorType, int? HttpStatus, string? Message, long Count, long OnRetry, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);
