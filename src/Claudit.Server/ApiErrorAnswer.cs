using System.Text.Json;

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
            writer.WriteStartObject();
            writer.WriteString("type"u8, "error"u8);
            writer.WriteStartObject("error"u8);
            writer.WriteString("type"u8, type);
            writer.WriteString("message"u8, message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).AsTask();
    }
}
