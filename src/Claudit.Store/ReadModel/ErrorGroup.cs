namespace Claudit.Store.ReadModel;

/// <summary>The errors in range sharing a type, HTTP status and message: how many, how many were retried, and when they were first and last seen.</summary>
public sealed record ErrorGroup(string ErrorType, int? HttpStatus, string? Message, long Count, long Retried, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);
