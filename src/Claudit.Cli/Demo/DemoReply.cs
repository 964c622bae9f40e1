using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;

namespace Claudit.Cli.Demo;

/// <summary>
/// The assistant's answer as the next turn needs it (its content blocks, rebuilt from the stream's deltas
/// like an SDK's message accumulator), with what Core's parsers saw: usage, stop reason, error.
/// </summary>
internal sealed class DemoReply
{
    private DemoReply(JsonArray content, MessageObservation observation)
    {
        Content = content;
        StopReason = observation.StopReason;
        Usage = observation.Usage;
        ErrorType = observation.ErrorType;
        Complete = observation.Complete;
        ToolUseIds = [.. content.Select(b => b?["type"]?.GetValue<string>() == "tool_use" ? b["id"]?.GetValue<string>() : null).OfType<string>()];
    }

    public JsonArray Content { get; }

    public IReadOnlyList<string> ToolUseIds { get; }

    public string? StopReason { get; }

    public TokenUsage? Usage { get; }

    /// <summary>An error body, or an <c>error</c> event in the middle of a stream.</summary>
    public string? ErrorType { get; }

    /// <summary>A whole message arrived (a stream reached <c>message_stop</c>).</summary>
    public bool Complete { get; }

    /// <summary>Something the conversation can carry on from.</summary>
    public bool Usable => ErrorType is null && Complete && Content.Count > 0;

    public static DemoReply FromJson(ReadOnlySpan<byte> body)
    {
        var observation = MessageResponseParser.Parse(body);
        var content = new JsonArray();
        if (observation.ErrorType is null)
        {
            try
            {
                if (JsonNode.Parse(body) is JsonObject message && message["content"] is JsonArray blocks)
                {
                    foreach (var block in blocks.ToArray())
                    {
                        blocks.Remove(block);
                        content.Add(block);
                    }
                }
            }
            catch (JsonException)
            {
                // A cut body: no content to carry on; the observation says it was incomplete.
            }
        }

        return new DemoReply(content, observation);
    }

    public static DemoReply FromStream(ReadOnlySpan<byte> body)
    {
        using var observer = new MessageStreamObserver();
        observer.Feed(body);
        var observation = observer.Complete();
        var blocks = new BlockCollector();
        using (var sse = new SseParser())
        {
            sse.Feed(body, blocks);
            sse.Complete();
        }

        return new DemoReply(blocks.Finish(), observation);
    }

    /// <summary>Rebuilds content blocks from <c>content_block_start</c> and the deltas that follow it.</summary>
    private sealed class BlockCollector : ISseEventHandler
    {
        private readonly SortedDictionary<int, (JsonObject Block, StringBuilder Text)> _blocks = [];

        public void OnEvent(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, long timestamp)
        {
            try
            {
                Collect(JsonNode.Parse(data) as JsonObject);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                // An event the collector cannot read leaves its block as it was; Core's observer counts it.
            }
        }

        private void Collect(JsonObject? e)
        {
            var index = e?["index"]?.GetValue<int>() ?? -1;
            switch (e?["type"]?.GetValue<string>())
            {
                case "content_block_start" when e["content_block"] is JsonObject block:
                    e.Remove("content_block");
                    _blocks[index] = (block, new StringBuilder());
                    break;
                case "content_block_delta" when _blocks.TryGetValue(index, out var open) && e["delta"] is JsonObject delta:
                    open.Text.Append((delta["text"] ?? delta["partial_json"] ?? delta["thinking"])?.GetValue<string>());
                    if (delta["signature"]?.GetValue<string>() is { } signature)
                    {
                        open.Block["signature"] = signature;
                    }

                    break;
            }
        }

        public JsonArray Finish()
        {
            var content = new JsonArray();
            foreach (var (block, text) in _blocks.Values)
            {
                switch (block["type"]?.GetValue<string>())
                {
                    case "text":
                        block["text"] = text.ToString();
                        break;
                    case "thinking":
                        block["thinking"] = text.ToString();
                        break;
                    case "tool_use":
                        block["input"] = ParseInput(text.ToString());
                        break;
                }

                content.Add(block);
            }

            return content;
        }

        private static JsonNode ParseInput(string json)
        {
            try
            {
                return json.Length == 0 ? new JsonObject() : JsonNode.Parse(json) ?? new JsonObject();
            }
            catch (JsonException)
            {
                return new JsonObject(); // a stream cut inside the tool input
            }
        }
    }
}
