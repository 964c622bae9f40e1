using System.Text.Json;

namespace Claudit.Server;

/// <summary>
/// What an HTTP error body says, for a one-line message: a Claudit server's <c>error</c>, an Anthropic-style
/// <c>error.message</c>, else the start of the body. Used by the clients of <c>/api/report</c> and of the Admin API.
/// </summary>
public static class ErrorBodyText
{
    public static string Of(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error))
            {
                return error.ValueKind == JsonValueKind.String ? error.GetString()! : error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : error.ToString();
            }
        }
        catch (JsonException)
        {
        }

        var text = System.Text.Encoding.UTF8.GetString(body);
        return text.Length > 200 ? text[..200] : text.Length == 0 ? "(empty body)" : text;
    }
}
