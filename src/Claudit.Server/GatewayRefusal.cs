using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Claudit.Core.Anthropic;

namespace Claudit.Server;

/// <summary>
/// A call the gateway answers itself, never forwarding it: a policy refused it (429), a virtual key was not
/// valid (401) or may not call the model (403), a body too large to read first (413). The answer is in
/// Anthropic's error shape with <c>x-should-retry: false</c>, so the official SDKs give up at once; the record
/// carries <see cref="RecordType"/> (<c>budget_exceeded</c>, <c>rate_limited_by_policy</c>, or the API type).
/// </summary>
internal sealed record GatewayRefusal(int Status, string ApiType, string RecordType, string Message)
{
    /// <summary>The policy that refused the call (<c>claudit-policy</c>), if one did.</summary>
    public string? Policy { get; init; }

    /// <summary>Seconds until the policy has room again (<c>retry-after</c>).</summary>
    public long? RetryAfterSeconds { get; init; }

    private static readonly JsonWriterOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static GatewayRefusal Authentication(string message) => new(StatusCodes.Status401Unauthorized, ErrorTypes.Authentication, ErrorTypes.Authentication, message);

    public async Task WriteAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = Status;
        response.ContentType = "application/json";
        response.Headers["x-should-retry"] = "false";
        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (Policy is not null)
        {
            response.Headers[PolicyHeaders.Policy] = Policy;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Json))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "error"u8);
            writer.WriteStartObject("error"u8);
            writer.WriteString("type"u8, ApiType);
            writer.WriteString("message"u8, Message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}
