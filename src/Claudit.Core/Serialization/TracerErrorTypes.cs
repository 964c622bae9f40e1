namespace Claudit.Core.Serialization;

/// <summary>
/// tracer.py records the Python SDK's exception class as the error type; map it onto Anthropic's
/// error taxonomy so migrated history groups with calls Claudit captured itself.
/// </summary>
internal static class TracerErrorTypes
{
    public static string Normalise(string? type, int? statusCode)
    {
        var mapped = type switch
        {
            null or "" => null,
            "RateLimitError" => Anthropic.ErrorTypes.RateLimit,
            "OverloadedError" => Anthropic.ErrorTypes.Overloaded,
            "APITimeoutError" => Anthropic.ErrorTypes.TransportTimeout,
            "APIConnectionError" => Anthropic.ErrorTypes.Connection,
            "AuthenticationError" => Anthropic.ErrorTypes.Authentication,
            "PermissionDeniedError" => Anthropic.ErrorTypes.Permission,
            "NotFoundError" => Anthropic.ErrorTypes.NotFound,
            "ConflictError" => Anthropic.ErrorTypes.Conflict,
            "BadRequestError" => Anthropic.ErrorTypes.InvalidRequest,
            "UnprocessableEntityError" => Anthropic.ErrorTypes.InvalidRequest,
            "InternalServerError" or "APIStatusError" or "APIError" => statusCode is { } s ? Anthropic.ErrorTypes.FromHttpStatus(s) : Anthropic.ErrorTypes.Api,
            _ => type,
        };
        return mapped ?? (statusCode is { } code ? Anthropic.ErrorTypes.FromHttpStatus(code) : Anthropic.ErrorTypes.HttpError);
    }
}
