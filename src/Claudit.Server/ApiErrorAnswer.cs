using System.Text.Json;
using Claudit.Core.Anthropic;

namespace Claudit.Server;

/// <summary>
/// An error the gateway answers itself, in the API's own shape (<c>{"type":"error","error":{"type":…,"message":…}}</c>),
/// so an SDK reports it as it would the API's, and a person reading the body sees one clear sentence.
/// </summary>
internal static class ApiErrorAnswer
{
    // Quotes and apostrophes as themselves: the body is application/json under nosniff, never HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteAsync(HttpContext context, int status, string type, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            ErrorBody.Write(writer, type, message, requestId: null);
        }

        return response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).AsTask();
    }
}
