using System.Text.Json;

namespace Claudit.Mock;

/// <summary>Writes the Messages API's JSON shapes: a whole message, usage, SSE event payloads, errors.</summary>
internal static class MessageJson
{
    public static void WriteMessage(Utf8JsonWriter w, MessagePlan plan)
    {
        w.WriteStartObject();
        WriteHead(w, plan);
        w.WriteStartArray("content"u8);
        foreach (var block in plan.Blocks)
        {
            WriteBlock(w, block, complete: true);
        }

        w.WriteEndArray();
        w.WriteString("stop_reason"u8, plan.StopReason);
        w.WriteNull("stop_sequence"u8);
        WriteUsage(w, plan, plan.OutputTokens);
        w.WriteEndObject();
    }

    public static void WriteMessageStart(Utf8JsonWriter w, MessagePlan plan)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "message_start"u8);
        w.WriteStartObject("message"u8);
        WriteHead(w, plan);
        w.WriteStartArray("content"u8);
        w.WriteEndArray();
        w.WriteNull("stop_reason"u8);
        w.WriteNull("stop_sequence"u8);
        WriteUsage(w, plan, outputTokens: 1); // a placeholder, as the API sends
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteBlockStart(Utf8JsonWriter w, int index, PlannedBlock block)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_start"u8);
        w.WriteNumber("index"u8, index);
        w.WritePropertyName("content_block"u8);
        WriteBlock(w, block, complete: false);
        w.WriteEndObject();
    }

    public static void WriteDelta(Utf8JsonWriter w, int index, ReadOnlySpan<byte> deltaType, ReadOnlySpan<byte> field, string value)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_delta"u8);
        w.WriteNumber("index"u8, index);
        w.WriteStartObject("delta"u8);
        w.WriteString("type"u8, deltaType);
        w.WriteString(field, value);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteBlockStop(Utf8JsonWriter w, int index)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_stop"u8);
        w.WriteNumber("index"u8, index);
        w.WriteEndObject();
    }

    /// <summary>The final usage is cumulative: it repeats the input and cache counts with the final output.</summary>
    public static void WriteMessageDelta(Utf8JsonWriter w, MessagePlan plan)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "message_delta"u8);
        w.WriteStartObject("delta"u8);
        w.WriteString("stop_reason"u8, plan.StopReason);
        w.WriteNull("stop_sequence"u8);
        w.WriteEndObject();
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, plan.InputTokens);
        w.WriteNumber("cache_creation_input_tokens"u8, plan.CacheWrite);
        w.WriteNumber("cache_read_input_tokens"u8, plan.CacheRead);
        w.WriteNumber("output_tokens"u8, plan.OutputTokens);
        if (plan.ThinkingTokens > 0)
        {
            // The breakdown belongs to the final output count: message_start only had a placeholder.
            w.WriteStartObject("output_tokens_details"u8);
            w.WriteNumber("thinking_tokens"u8, plan.ThinkingTokens);
            w.WriteEndObject();
        }

        WriteServerToolUse(w, plan);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteHead(Utf8JsonWriter w, MessagePlan plan)
    {
        w.WriteString("id"u8, plan.MessageId);
        w.WriteString("type"u8, "message"u8);
        w.WriteString("role"u8, "assistant"u8);
        w.WriteString("model"u8, plan.Model);
    }

    private static void WriteUsage(Utf8JsonWriter w, MessagePlan plan, long outputTokens)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, plan.InputTokens);
        w.WriteNumber("cache_creation_input_tokens"u8, plan.CacheWrite);
        w.WriteNumber("cache_read_input_tokens"u8, plan.CacheRead);
        WriteCacheCreation(w, plan.CacheWrite5m, plan.CacheWrite1h);
        w.WriteNumber("output_tokens"u8, outputTokens);
        if (plan.ThinkingTokens > 0 && outputTokens == plan.OutputTokens)
        {
            w.WriteStartObject("output_tokens_details"u8);
            w.WriteNumber("thinking_tokens"u8, plan.ThinkingTokens);
            w.WriteEndObject();
        }

        WriteServerToolUse(w, plan);
        w.WriteString("service_tier"u8, plan.ServiceTier);
        if (plan.InferenceGeo is { } geo)
        {
            w.WriteString("inference_geo"u8, geo);
        }

        w.WriteEndObject();
    }

    /// <summary>The TTL split of cache writes, as Messages usage and the Admin usage reports both nest it.</summary>
    public static void WriteCacheCreation(Utf8JsonWriter w, long fiveMinutes, long oneHour)
    {
        w.WriteStartObject("cache_creation"u8);
        w.WriteNumber("ephemeral_5m_input_tokens"u8, fiveMinutes);
        w.WriteNumber("ephemeral_1h_input_tokens"u8, oneHour);
        w.WriteEndObject();
    }

    /// <summary>Billable server tool calls, present when the request used one (the SDKs want both counters).</summary>
    private static void WriteServerToolUse(Utf8JsonWriter w, MessagePlan plan)
    {
        if (plan.WebSearchRequests > 0)
        {
            w.WriteStartObject("server_tool_use"u8);
            w.WriteNumber("web_search_requests"u8, plan.WebSearchRequests);
            w.WriteNumber("web_fetch_requests"u8, 0);
            w.WriteEndObject();
        }
    }

    private static void WriteBlock(Utf8JsonWriter w, PlannedBlock block, bool complete)
    {
        w.WriteStartObject();
        switch (block)
        {
            case ThinkingBlock t:
                w.WriteString("type"u8, "thinking"u8);
                w.WriteString("thinking"u8, complete ? string.Concat(t.Pieces) : "");
                w.WriteString("signature"u8, complete ? t.Signature : "");
                break;
            case TextBlock t:
                w.WriteString("type"u8, "text"u8);
                w.WriteString("text"u8, complete ? t.Text : "");
                break;
            case ToolUseBlock t:
                WriteCall(w, "tool_use"u8, t.Id, t.Name, t.InputJson, complete);
                break;
            case ServerToolUseBlock t:
                WriteCall(w, "server_tool_use"u8, t.Id, t.Name, t.InputJson, complete);
                break;
            case WebSearchResultBlock t:
                w.WriteString("type"u8, "web_search_tool_result"u8);
                w.WriteString("tool_use_id"u8, t.ToolUseId);
                WriteDirectCaller(w);
                w.WriteStartArray("content"u8);
                foreach (var hit in t.Hits)
                {
                    w.WriteStartObject();
                    w.WriteString("type"u8, "web_search_result"u8);
                    w.WriteString("url"u8, hit.Url);
                    w.WriteString("title"u8, hit.Title);
                    w.WriteString("encrypted_content"u8, hit.EncryptedContent);
                    w.WriteNull("page_age"u8);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                break;
        }

        w.WriteEndObject();
    }

    /// <summary>A tool call block; its input is empty in <c>content_block_start</c> and arrives as <c>input_json_delta</c>.</summary>
    private static void WriteCall(Utf8JsonWriter w, ReadOnlySpan<byte> type, string id, string name, string inputJson, bool complete)
    {
        w.WriteString("type"u8, type);
        w.WriteString("id"u8, id);
        w.WriteString("name"u8, name);
        WriteDirectCaller(w);
        w.WritePropertyName("input"u8);
        if (complete)
        {
            w.WriteRawValue(inputJson);
        }
        else
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }
    }

    /// <summary>Who invoked the tool: the model itself. The official SDKs' schema requires it on every tool block.</summary>
    private static void WriteDirectCaller(Utf8JsonWriter w)
    {
        w.WriteStartObject("caller"u8);
        w.WriteString("type"u8, "direct"u8);
        w.WriteEndObject();
    }
}
