using System.Text.Json;

namespace Claudit.Core.Anthropic;

/// <summary>Reads <c>{"type":"error","error":{"type","message"},"request_id"}</c>, in a body or a stream event.</summary>
internal static class ErrorBody
{
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
