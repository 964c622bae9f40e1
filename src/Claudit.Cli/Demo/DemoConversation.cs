using System.Text.Json.Nodes;

namespace Claudit.Cli.Demo;

/// <summary>
/// One session's messages as an application keeps them: each turn adds the user's message, and the
/// assistant's reply once it came; the next request carries them all. Renders the request body an SDK
/// would send for a turn.
/// </summary>
internal sealed class DemoConversation
{
    /// <summary>The API allows four cache breakpoints: the system prompt's and up to three user messages'.</summary>
    private const int MaxMessageBreakpoints = 3;

    private readonly JsonArray _messages = [];
    private readonly List<string> _pendingToolUses = [];
    private int _messageBreakpoints;

    public int Count => _messages.Count;

    /// <summary>Adds the user's turn; it answers the tool calls of the previous reply first, as the API requires.</summary>
    public void AddUser(DemoCall call)
    {
        var content = new JsonArray();
        foreach (var id in _pendingToolUses)
        {
            content.Add(new JsonObject
            {
                ["type"] = "tool_result",
                ["tool_use_id"] = id,
                ["content"] = "{\"results\": [{\"doc_id\": \"kb-142\", \"score\": 0.82}]}",
            });
        }

        var text = new JsonObject { ["type"] = "text", ["text"] = call.UserText };
        // Breakpoints stay where they were put, so each turn's prefix is exactly the one the turn before wrote.
        if (call.CacheConversation && _messageBreakpoints < MaxMessageBreakpoints)
        {
            text["cache_control"] = new JsonObject { ["type"] = "ephemeral" };
            _messageBreakpoints++;
        }

        content.Add(text);
        _messages.Add(new JsonObject { ["role"] = "user", ["content"] = content });
    }

    /// <summary>The turn failed: the user's message goes, as if they would ask again in other words.</summary>
    public void DropLastUser()
    {
        var last = (JsonObject)_messages[^1]!;
        if (last["content"] is JsonArray content && content.Any(b => b?["cache_control"] is not null))
        {
            _messageBreakpoints--;
        }

        _messages.RemoveAt(_messages.Count - 1);
    }

    public void AddAssistant(DemoReply reply)
    {
        _pendingToolUses.Clear();
        _pendingToolUses.AddRange(reply.ToolUseIds);
        _messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = reply.Content.DeepClone() });
    }

    /// <summary>The JSON body of the turn's request, with the feature's system prompt and tools.</summary>
    public string RequestBody(DemoCall call)
    {
        var body = new JsonObject
        {
            ["model"] = call.Model,
            ["max_tokens"] = call.MaxTokens,
        };

        if (call.SystemCacheTtl is { } ttl)
        {
            var cacheControl = new JsonObject { ["type"] = "ephemeral" };
            if (ttl != "5m")
            {
                cacheControl["ttl"] = ttl;
            }

            body["system"] = new JsonArray(new JsonObject
            {
                ["type"] = "text",
                ["text"] = DemoPrompts.SystemPrompt(call.Feature, longPrompt: true),
                ["cache_control"] = cacheControl,
            });
        }
        else
        {
            body["system"] = DemoPrompts.SystemPrompt(call.Feature, longPrompt: false);
        }

        body["messages"] = _messages.DeepClone();
        if (call.Tools != DemoToolUse.None)
        {
            body["tools"] = DemoPrompts.Tools(call.Feature);
            body["tool_choice"] = call.Tools == DemoToolUse.Forced
                ? new JsonObject { ["type"] = "tool", ["name"] = DemoPrompts.ForcedTool }
                : new JsonObject { ["type"] = "auto" };
        }

        body["metadata"] = new JsonObject { ["user_id"] = call.User };
        if (call.Stream)
        {
            body["stream"] = true;
        }

        return body.ToJsonString();
    }
}
