using System.Security.Cryptography;
using System.Text.Json;

namespace Claudit.Core.Anthropic;

/// <summary>Reads the fields of a Messages request that a record needs. Never throws.</summary>
internal static class MessageRequestParser
{
    private const int MessagesPart = 1;
    private const int ToolsPart = 2;

    public static MessageRequestInfo Parse(ReadOnlySpan<byte> body)
    {
        string? model = null, userId = null, tier = null, geo = null, speed = null;
        bool stream = false;
        int? maxTokens = null;
        int tools = 0, toolResults = 0, toolResultErrors = 0;
        // Where system, messages and tools sit in the body: hashed in this fixed order, so that the
        // same prompt hashes the same whatever order a client wrote its keys in.
        Span<Range> prompt = stackalloc Range[3];
        Span<bool> present = stackalloc bool[3];
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new MessageRequestInfo { Valid = false };
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("model"u8)) { reader.Read(); model = MessageResponseParser.StringOrNull(ref reader); }
                else if (reader.ValueTextEquals("stream"u8)) { reader.Read(); stream = reader.TokenType == JsonTokenType.True; reader.Skip(); }
                else if (reader.ValueTextEquals("max_tokens"u8)) { reader.Read(); maxTokens = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var m) ? m : null; reader.Skip(); }
                else if (reader.ValueTextEquals("service_tier"u8)) { reader.Read(); tier = MessageResponseParser.StringOrNull(ref reader); }
                else if (reader.ValueTextEquals("inference_geo"u8)) { reader.Read(); geo = MessageResponseParser.StringOrNull(ref reader); }
                else if (reader.ValueTextEquals("speed"u8)) { reader.Read(); speed = MessageResponseParser.StringOrNull(ref reader); }
                else if (reader.ValueTextEquals("metadata"u8)) { reader.Read(); userId = ReadUserId(ref reader); }
                else if (PromptPart(ref reader) is var part and >= 0)
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    if (part == ToolsPart && reader.TokenType == JsonTokenType.StartArray)
                    {
                        tools = CountArray(ref reader);
                    }
                    else if (part == MessagesPart && reader.TokenType == JsonTokenType.StartArray)
                    {
                        (toolResults, toolResultErrors) = LastUserToolResults(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }

                    prompt[part] = start..(int)reader.BytesConsumed;
                    present[part] = true;
                }
                else { reader.Read(); reader.Skip(); }
            }

            // Anything but whitespace after the body's object makes it invalid JSON (the API rejects it).
            if (reader.Read())
            {
                return new MessageRequestInfo { Model = model, Stream = stream, MaxTokens = maxTokens, Valid = false };
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return new MessageRequestInfo { Model = model, Stream = stream, MaxTokens = maxTokens, Valid = false };
        }

        return new MessageRequestInfo
        {
            Model = model,
            Stream = stream,
            MaxTokens = maxTokens,
            ToolCount = tools,
            ToolResults = toolResults,
            ToolResultErrors = toolResultErrors,
            MetadataUserId = userId,
            ServiceTier = tier,
            InferenceGeo = geo,
            Speed = speed,
            PromptHash = HashPrompt(body, prompt, present),
        };
    }

    private static int PromptPart(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("system"u8) ? 0 : reader.ValueTextEquals("messages"u8) ? 1 : reader.ValueTextEquals("tools"u8) ? ToolsPart : -1;

    private static string? HashPrompt(ReadOnlySpan<byte> body, ReadOnlySpan<Range> prompt, ReadOnlySpan<bool> present)
    {
        if (!present.Contains(true))
        {
            return null;
        }

        // One hasher per thread, reset by each use: creating one costs more than hashing a typical prompt.
        var hash = t_hash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < prompt.Length; i++)
        {
            if (present[i])
            {
                hash.AppendData(i switch { 0 => "system"u8, 1 => "messages"u8, _ => "tools"u8 });
                hash.AppendData(body[prompt[i]]);
            }
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        Span<char> text = stackalloc char[PromptHashPrefix.Length + 32];
        PromptHashPrefix.CopyTo(text);
        Convert.TryToHexStringLower(digest[..16], text[PromptHashPrefix.Length..], out _);
        return new string(text);
    }

    private const string PromptHashPrefix = "sha256:";

    [ThreadStatic]
    private static IncrementalHash? t_hash;

    private static string? ReadUserId(ref Utf8JsonReader reader)
    {
        string? userId = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("user_id"u8)) { reader.Read(); userId = MessageResponseParser.StringOrNull(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }

        return userId;
    }

    /// <summary>
    /// The <c>tool_result</c> blocks of the last user message, and how many say <c>is_error: true</c>: the
    /// outcome of the tool calls the previous answer asked for (a tool loop's failures show here).
    /// </summary>
    private static (int Results, int Errors) LastUserToolResults(ref Utf8JsonReader reader)
    {
        int results = 0, errors = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            bool user = false;
            int r = 0, e = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("role"u8)) { reader.Read(); user = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("user"u8); }
                else if (reader.ValueTextEquals("content"u8) && reader.Read() && reader.TokenType == JsonTokenType.StartArray) { CountToolResults(ref reader, ref r, ref e); }
                else { reader.Read(); reader.Skip(); }
            }

            if (user)
            {
                (results, errors) = (r, e);
            }
        }

        return (results, errors);
    }

    private static void CountToolResults(ref Utf8JsonReader reader, ref int results, ref int errors)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            bool toolResult = false, isError = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8)) { reader.Read(); toolResult = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("tool_result"u8); }
                else if (reader.ValueTextEquals("is_error"u8)) { reader.Read(); isError = reader.TokenType == JsonTokenType.True; }
                else { reader.Read(); reader.Skip(); }
            }

            if (toolResult)
            {
                results++;
                errors += isError ? 1 : 0;
            }
        }
    }

    private static int CountArray(ref Utf8JsonReader reader)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            reader.Skip();
        }

        return count;
    }
}
