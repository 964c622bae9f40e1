using System.Text.Json;

namespace Claudit.Core.Anthropic;

/// <summary>Reads the top-level keys of a tool's input; the values are never kept.</summary>
internal static class ToolInputKeys
{
    private const int MaxKeys = 64;

    public static IReadOnlyList<string> FromJson(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return [];
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            return reader.Read() ? FromObject(ref reader) : [];
        }
        catch (JsonException)
        {
            return [];
        }
        catch (InvalidOperationException)
        {
            return [];
        }
    }

    /// <summary>Reader on the StartObject; ends on its EndObject.</summary>
    public static IReadOnlyList<string> FromObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return [];
        }

        List<string>? keys = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            keys ??= [];
            if (keys.Count < MaxKeys)
            {
                keys.Add(reader.GetString()!);
            }

            reader.Read();
            reader.Skip();
        }

        return keys is null ? [] : keys;
    }
}
