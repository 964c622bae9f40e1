using System.Text;
using System.Text.Json;

namespace Claudit.Mock;

/// <summary>
/// Decides the answer to a valid request: cache reads and writes from the prompt's breakpoints, an
/// answer whose length depends only on the seed and the prompt, thinking when asked, tool use when
/// <c>tool_choice</c> calls for it, and <c>max_tokens</c> truncation when the planned answer is longer.
/// </summary>
internal sealed class ResponsePlanner(PromptCache cache)
{
    private static readonly string[] Words =
    [
        "the", "model", "answer", "cache", "token", "stream", "latency", "cost", "request", "claude", "observability", "gateway",
        "usage", "budget", "prompt", "tool", "result", "signal", "metric", "trace", "window", "context", "quality", "summary",
    ];

    /// <summary>
    /// <paramref name="random"/> (seeded by the prompt) shapes the answer; <paramref name="ids"/> (seeded by the
    /// request's sequence number) names it, so a repeated prompt gets the same answer under new ids, as the API does.
    /// </summary>
    public MessagePlan Plan(MockRequest request, Random random, Random ids)
    {
        var (read, write5m, write1h) = Caching(request);
        var uncached = request.Prompt.TotalTokens - read - write5m - write1h;

        var budget = request.MaxTokens;
        var blocks = new List<PlannedBlock>();
        var used = 0L;
        var truncated = false;

        if (request.ThinkingBudget is { } thinkingBudget)
        {
            var planned = Math.Min(thinkingBudget, random.Next(60, 400));
            var tokens = Math.Min(planned, budget - used);
            blocks.Add(new ThinkingBlock(Pieces(tokens, random, "Let me think about "), MockIds.New("sig_", random), tokens));
            used += tokens;
            truncated |= tokens < planned;
        }

        var (searches, searchResultTokens) = (0L, 0L);
        if (!truncated && request.WebSearchTool is { } webSearch && request.ToolChoice != "none")
        {
            (searches, searchResultTokens) = WebSearch(webSearch, request, random, ids, blocks, budget, ref used);
        }

        var tool = PickTool(request, random);
        // tool_choice any/tool prefills the turn, so the API answers with the tool call alone: no text before it.
        var forced = tool is not null && request.ToolChoice is "any" or "tool";
        if (!truncated && !forced)
        {
            var planned = (long)random.Next(20, 600);
            if (tool is not null)
            {
                planned = random.Next(8, 40); // a short preamble before the tool call
            }

            var tokens = Math.Min(planned, budget - used);
            if (tokens > 0)
            {
                blocks.Add(new TextBlock(Pieces(tokens, random, ""), tokens));
            }

            used += tokens;
            truncated |= tokens < planned;
        }

        if (!truncated && tool is not null)
        {
            var input = ToolInput(tool.Value, random);
            var tokens = Math.Max(1, (input.Length + 3) / 4);
            if (used + tokens <= budget)
            {
                blocks.Add(new ToolUseBlock(MockIds.New("toolu_", ids), tool.Value.GetProperty("name").GetString()!, input, Split(input, random), tokens));
                used += tokens;
            }
            else
            {
                truncated = true;
                tool = null;
            }
        }

        return new MessagePlan
        {
            MessageId = MockIds.New("msg_", ids),
            Model = request.Model,
            Blocks = blocks,
            StopReason = truncated ? "max_tokens" : tool is not null ? "tool_use" : "end_turn",
            // The model reads what the searches found: that is input too, uncached.
            InputTokens = uncached + searchResultTokens,
            CacheWrite5m = write5m,
            CacheWrite1h = write1h,
            CacheRead = read,
            OutputTokens = Math.Max(1, used),
            ThinkingTokens = blocks.OfType<ThinkingBlock>().Sum(b => b.Tokens),
            ServiceTier = request.ServiceTier ?? "standard",
            InferenceGeo = request.InferenceGeo,
            WebSearchRequests = searches,
        };
    }

    /// <summary>
    /// The web search server tool: one search (now and then two, never past <c>max_uses</c>) when the last user
    /// turn asks to search, else half of the time. Each is a <c>server_tool_use</c> block and its
    /// <c>web_search_tool_result</c>; the results count as input tokens, the query as output.
    /// </summary>
    private static (long Searches, long ResultTokens) WebSearch(JsonElement tool, MockRequest request, Random random, Random ids, List<PlannedBlock> blocks, long budget, ref long used)
    {
        var asked = request.Prompt.LastUserText.Contains("search", StringComparison.OrdinalIgnoreCase);
        var wanted = asked || random.NextDouble() < 0.5 ? (random.NextDouble() < 0.25 ? 2 : 1) : 0;
        if (tool.TryGetProperty("max_uses", out var max) && max.TryGetInt32(out var maxUses))
        {
            wanted = Math.Min(wanted, Math.Max(0, maxUses));
        }

        var name = tool.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "web_search";
        long searches = 0, resultTokens = 0;
        for (var i = 0; i < wanted; i++)
        {
            var query = Words[random.Next(Words.Length)] + " " + Words[random.Next(Words.Length)];
            var input = JsonSerializer.Serialize(new Dictionary<string, string> { ["query"] = query });
            var tokens = Math.Max(1, (input.Length + 3) / 4);
            if (used + tokens > budget)
            {
                break;
            }

            var id = MockIds.New("srvtoolu_", ids);
            blocks.Add(new ServerToolUseBlock(id, name, input, Split(input, random), tokens));
            blocks.Add(new WebSearchResultBlock(id, [.. Enumerable.Range(1, 3).Select(k => new WebSearchHit(
                $"https://example.com/{query.Replace(' ', '-')}/{k}", $"{query} ({k})", MockIds.New("mock_", ids)))]));
            used += tokens;
            searches++;
            resultTokens += random.Next(300, 900);
        }

        return (searches, resultTokens);
    }

    /// <summary>
    /// The longest cached prefix is read; the prompt up to the last breakpoint beyond it is written,
    /// each segment at its breakpoint's TTL. Prompts shorter than the model's minimum are not cached.
    /// </summary>
    private (long Read, long Write5m, long Write1h) Caching(MockRequest request)
    {
        var points = request.Prompt.Breakpoints;
        if (points.Count == 0 || points[^1].TokensBefore < MockModels.MinimumCacheableTokens(request.Model))
        {
            return (0, 0, 0);
        }

        var hit = -1;
        for (var i = points.Count - 1; i >= 0; i--)
        {
            if (points[i].TokensBefore >= MockModels.MinimumCacheableTokens(request.Model) && cache.TryHit(points[i].Prefix, points[i].Ttl))
            {
                hit = i;
                break;
            }
        }

        var read = hit >= 0 ? points[hit].TokensBefore : 0;
        long write5m = 0, write1h = 0, covered = read;
        for (var i = hit + 1; i < points.Count; i++)
        {
            var segment = points[i].TokensBefore - covered;
            if (points[i].Ttl >= TimeSpan.FromHours(1)) write1h += segment; else write5m += segment;
            covered = points[i].TokensBefore;
            cache.Write(points[i].Prefix, points[i].Ttl);
        }

        return (read, write5m, write1h);
    }

    private static JsonElement? PickTool(MockRequest request, Random random)
    {
        // Server tools (web search, …) are run by the API, not handed back as tool_use: only client tools can be picked.
        var tools = request.Tools.Where(IsClientTool).ToList();
        if (tools.Count == 0 || request.ToolChoice == "none")
        {
            return null;
        }

        if (request.ToolChoice == "tool")
        {
            return tools.FirstOrDefault(t => t.TryGetProperty("name", out var n) && n.ValueEquals(request.ToolChoiceName));
        }

        var named = tools.FirstOrDefault(t => t.TryGetProperty("name", out var n) && n.GetString() is { } name
            && request.Prompt.LastUserText.Contains(name, StringComparison.OrdinalIgnoreCase));
        if (named.ValueKind == JsonValueKind.Object)
        {
            return named;
        }

        // "any" must call a tool; "auto" calls one now and then.
        return request.ToolChoice == "any" || random.NextDouble() < 0.3 ? tools[random.Next(tools.Count)] : null;
    }

    /// <summary>A tool the caller runs: no <c>type</c>, or <c>custom</c> (server tools carry a versioned type).</summary>
    private static bool IsClientTool(JsonElement tool) =>
        !tool.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.ValueEquals("custom"u8);

    /// <summary>An input that fits the tool's schema: one value per declared property.</summary>
    private static string ToolInput(JsonElement tool, Random random)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (tool.TryGetProperty("input_schema", out var schema) && schema.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in props.EnumerateObject())
                {
                    var type = p.Value.TryGetProperty("type", out var t) ? t.GetString() : "string";
                    w.WritePropertyName(p.Name);
                    switch (type)
                    {
                        case "integer": w.WriteNumberValue(random.Next(1, 100)); break;
                        case "number": w.WriteNumberValue(Math.Round(random.NextDouble() * 100, 2)); break;
                        case "boolean": w.WriteBooleanValue(random.Next(2) == 0); break;
                        case "array": w.WriteStartArray(); w.WriteStringValue(Words[random.Next(Words.Length)]); w.WriteEndArray(); break;
                        case "object": w.WriteStartObject(); w.WriteEndObject(); break;
                        default:
                            w.WriteStringValue(p.Value.TryGetProperty("enum", out var e) && e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0
                                ? e[0].ToString()
                                : Words[random.Next(Words.Length)] + " " + Words[random.Next(Words.Length)]);
                            break;
                    }
                }
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Text of <paramref name="tokens"/> words (one token each), cut into stream-sized pieces.</summary>
    private static List<string> Pieces(long tokens, Random random, string opening)
    {
        var pieces = new List<string>();
        var sb = new StringBuilder(opening);
        var inPiece = 0;
        var pieceSize = random.Next(1, 6);
        for (var i = 0; i < tokens; i++)
        {
            var word = Words[random.Next(Words.Length)];
            sb.Append(i == 0 && opening.Length == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
            sb.Append(i == tokens - 1 ? "." : " ");
            if (++inPiece == pieceSize || i == tokens - 1)
            {
                pieces.Add(sb.ToString());
                sb.Clear();
                inPiece = 0;
                pieceSize = random.Next(1, 6);
            }
        }

        return pieces;
    }

    /// <summary>Cuts tool-input JSON into <c>partial_json</c> fragments, anywhere, like the API does.</summary>
    private static List<string> Split(string json, Random random)
    {
        var pieces = new List<string>();
        for (var i = 0; i < json.Length;)
        {
            var n = Math.Min(json.Length - i, random.Next(3, 16));
            pieces.Add(json.Substring(i, n));
            i += n;
        }

        return pieces;
    }
}
