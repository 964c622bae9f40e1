using System.Text.Json;

namespace Claudit.Core.Anthropic;

/// <summary>
/// The API's error shape, <c>{"type":"error","error":{"type","message"},"request_id"}</c>, in a body or a
/// stream event: read from answers, and written by whoever answers like the API (the mock, the gateway's own errors).
/// </summary>
internal static class ErrorBody
{
    /// <summary>Writes one error object; <c>request_id</c> only when there is one.</summary>
    public static void Write(Utf8JsonWriter w, string type, string message, string? requestId)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "error"u8);
        w.WriteStartObject("error"u8);
        w.WriteString("type"u8, type);
        w.WriteString("message"u8, message);
        w.WriteEndObject();
        if (requestId is not null)
        {
            w.WriteString("request_id"u8, requestId);
        }

        w.WriteEndObject();
    }

    /// <summary>Reader on the <c>error</c> object's StartObject; ends on its EndObject.</summary>
    public static void ReadErrorObject(ref Utf8JsonReader reader, MessageObservation into)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8)) { reader.Read(); into.ErrorType = reader.TokenType == JsonTokenType.String ? reader.GetString() : into.ErrorType; reader.Skip(); }
            else if (reader.ValueTextEquals("message"u8)) { reader.Read(); into.ErrorMessage = reader.TokenType == JsonTokenType.String ? reader.GetString() : into.ErrorMessage; reader.Skip(); }
            else { reader.Read(); reader.Skip(); }
        }

        into.ErrorType ??= ErrorTypes.Api;
    }
}
