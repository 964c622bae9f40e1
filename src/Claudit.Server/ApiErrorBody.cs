using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Claudit.Server;

/// <summary>Anthropic's error body, <c>{"type":"error","error":{"type":…,"message":…}}</c>, for the answers the gateway gives itself.</summary>
internal sealed record ApiErrorBody([property: JsonPropertyOrder(1)] ApiErrorDetail Error)
{
    [JsonPropertyOrder(0)]
    public string Type => "error";

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, ApiErrorJsonContext.Relaxed.ApiErrorBody);
}

internal sealed record ApiErrorDetail(string Type, string Message);

[JsonSerializable(typeof(ApiErrorBody))]
internal sealed partial class ApiErrorJsonContext : JsonSerializerContext
{
    /// <summary>Messages keep their quotes and signs as written (<c>'user-daily'</c>, not <c>\u0027</c>): the body is JSON, never HTML.</summary>
    public static ApiErrorJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
