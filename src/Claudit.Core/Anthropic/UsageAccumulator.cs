using System.Text.Json;
using Claudit.Core.Records;

namespace Claudit.Core.Anthropic;

/// <summary>
/// Collects a usage object the way the reference demands: every value read replaces the previous one
/// (streaming usage is cumulative: assign, never add), and a null or absent field keeps the last value seen.
/// </summary>
internal struct UsageAccumulator
{
    public long? InputTokens;
    public long? OutputTokens;
    public long? CacheCreationInputTokens;
    public long? CacheCreation5m;
    public long? CacheCreation1h;
    public long? CacheReadInputTokens;
    public long? ThinkingTokens;
    public long? WebSearchRequests;
    public long? WebFetchRequests;
    public string? ServiceTier;
    public string? InferenceGeo;
    public bool Seen;

    /// <summary>Reads a usage object; the reader is on its StartObject and ends on its EndObject.</summary>
    public void Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        Seen = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8)) { reader.Read(); Assign(ref reader, ref InputTokens); }
            else if (reader.ValueTextEquals("output_tokens"u8)) { reader.Read(); Assign(ref reader, ref OutputTokens); }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8)) { reader.Read(); Assign(ref reader, ref CacheCreationInputTokens); }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8)) { reader.Read(); Assign(ref reader, ref CacheReadInputTokens); }
            else if (reader.ValueTextEquals("cache_creation"u8)) { reader.Read(); ReadCacheCreation(ref reader); }
            else if (reader.ValueTextEquals("output_tokens_details"u8)) { reader.Read(); ReadOutputDetails(ref reader); }
            else if (reader.ValueTextEquals("server_tool_use"u8)) { reader.Read(); ReadServerToolUse(ref reader); }
            else if (reader.ValueTextEquals("service_tier"u8)) { reader.Read(); AssignString(ref reader, ref ServiceTier); }
            else if (reader.ValueTextEquals("inference_geo"u8)) { reader.Read(); AssignString(ref reader, ref InferenceGeo); }
            else { reader.Read(); reader.Skip(); }
        }
    }

    private void ReadCacheCreation(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); return; }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ephemeral_5m_input_tokens"u8)) { reader.Read(); Assign(ref reader, ref CacheCreation5m); }
            else if (reader.ValueTextEquals("ephemeral_1h_input_tokens"u8)) { reader.Read(); Assign(ref reader, ref CacheCreation1h); }
            else { reader.Read(); reader.Skip(); }
        }
    }

    private void ReadOutputDetails(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); return; }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("thinking_tokens"u8)) { reader.Read(); Assign(ref reader, ref ThinkingTokens); }
            else { reader.Read(); reader.Skip(); }
        }
    }

    private void ReadServerToolUse(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); return; }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("web_search_requests"u8)) { reader.Read(); Assign(ref reader, ref WebSearchRequests); }
            else if (reader.ValueTextEquals("web_fetch_requests"u8)) { reader.Read(); Assign(ref reader, ref WebFetchRequests); }
            else { reader.Read(); reader.Skip(); }
        }
    }

    private static void Assign(ref Utf8JsonReader reader, ref long? field)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var v) && v >= 0)
        {
            field = v;
        }
        else
        {
            reader.Skip();
        }
    }

    private static void AssignString(ref Utf8JsonReader reader, ref string? field)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            field = reader.GetString();
        }
        else
        {
            reader.Skip();
        }
    }

    public readonly TokenUsage? ToUsage(string? speed = null)
    {
        if (!Seen)
        {
            return null;
        }

        // The split is authoritative when present; a total without a split is billed as 5-minute writes.
        var writes = CacheCreationInputTokens ?? (CacheCreation5m ?? 0) + (CacheCreation1h ?? 0);
        return new TokenUsage
        {
            InputTokens = InputTokens ?? 0,
            OutputTokens = OutputTokens ?? 0,
            CacheCreationInputTokens = writes,
            CacheCreation5mInputTokens = CacheCreation5m,
            CacheCreation1hInputTokens = CacheCreation1h,
            CacheReadInputTokens = CacheReadInputTokens ?? 0,
            ThinkingTokens = ThinkingTokens,
            WebSearchRequests = WebSearchRequests ?? 0,
            WebFetchRequests = WebFetchRequests ?? 0,
            ServiceTier = ServiceTier,
            InferenceGeo = InferenceGeo,
            Speed = speed,
        };
    }
}
