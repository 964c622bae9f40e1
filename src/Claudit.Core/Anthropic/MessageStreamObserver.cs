using System.Buffers;
using System.Text.Json;
using Claudit.Core.Records;

namespace Claudit.Core.Anthropic;

/// <summary>
/// Reads an Anthropic Messages SSE stream as it passes, chunk by chunk, without holding it:
/// usage from <c>message_start</c> then every <c>message_delta</c> (cumulative: assigned, never
/// added), stop reason, tool calls (names and input keys), a mid-stream <c>error</c>, and the TTFT
/// markers. <c>ping</c> and unknown events are ignored; malformed input is counted, never thrown.
/// </summary>
public sealed class MessageStreamObserver : ISseEventHandler, IDisposable
{
    private const int MaxToolInputBytes = 256 * 1024;
    private readonly SseParser _sse = new();
    private readonly List<ToolBlock> _toolBlocks = [];

    public MessageObservation Observation { get; } = new();

    /// <summary>Also gather the answer's text (content capture), up to <paramref name="maxChars"/>.</summary>
    internal void CollectText(int maxChars) => Observation.Text ??= new OutputTextCollector(maxChars);

    /// <summary>Feeds the next chunk of the response body, with the time it arrived.</summary>
    public void Feed(ReadOnlySpan<byte> chunk, long timestamp = 0)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        Observation.FirstByteTimestamp ??= timestamp;
        _sse.Feed(chunk, this, timestamp);
    }

    /// <summary>
    /// The body ended (or was cut). Returns the observation; it is <see cref="MessageObservation.Complete"/>
    /// only if <c>message_stop</c> arrived. <paramref name="acceptUnterminatedEvent"/> reads a last event
    /// that lacks its closing blank line (saved files), which a live stream must not do.
    /// </summary>
    public MessageObservation Complete(bool acceptUnterminatedEvent = false)
    {
        _sse.Complete(acceptUnterminatedEvent ? this : null, Observation.LastEventTimestamp ?? 0);
        foreach (var block in _toolBlocks)
        {
            block.Finish(Observation);
        }

        _toolBlocks.Clear();
        return Observation;
    }

    void ISseEventHandler.OnEvent(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, long timestamp)
    {
        var o = Observation;
        o.EventCount++;
        o.FirstEventTimestamp ??= timestamp;
        o.LastEventTimestamp = timestamp;
        try
        {
            HandleEvent(data, timestamp);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            o.MalformedEvents++;
        }
    }

    private void HandleEvent(ReadOnlySpan<byte> data, long timestamp)
    {
        // The "type" inside the data is authoritative (the event: line repeats it); it usually comes first.
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            Observation.MalformedEvents++;
            return;
        }

        var type = FindType(data);
        switch (type)
        {
            case EventType.MessageStart: OnMessageStart(ref reader); break;
            case EventType.ContentBlockStart: OnContentBlockStart(ref reader); break;
            case EventType.ContentBlockDelta: OnContentBlockDelta(ref reader, timestamp); break;
            case EventType.ContentBlockStop: OnContentBlockStop(ref reader); break;
            case EventType.MessageDelta: OnMessageDelta(ref reader); break;
            case EventType.MessageStop: Observation.Complete = !Observation.HasError; break;
            case EventType.Error: OnError(ref reader); break;
            default: break; // ping and event types this version does not know
        }
    }

    private void OnMessageStart(ref Utf8JsonReader reader)
    {
        Observation.SawMessageStart = true;
        if (!SeekProperty(ref reader, "message"u8) || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8)) { reader.Read(); Observation.MessageId = MessageResponseParser.StringOrNull(ref reader); }
            else if (reader.ValueTextEquals("model"u8)) { reader.Read(); Observation.Model = MessageResponseParser.StringOrNull(ref reader); }
            else if (reader.ValueTextEquals("usage"u8))
            {
                // message_start's output_tokens is a placeholder (1): output comes from message_delta only, so a
                // stream cut before its first message_delta records no output rather than a made-up token.
                var output = Observation.UsageState.OutputTokens;
                reader.Read();
                Observation.UsageState.Read(ref reader);
                Observation.UsageState.OutputTokens = output;
            }
            else { reader.Read(); reader.Skip(); }
        }
    }

    private void OnContentBlockStart(ref Utf8JsonReader reader)
    {
        Observation.ContentBlocks++;
        Observation.Text?.StartBlock();
        int? index = null;
        string? type = null, name = null;
        IReadOnlyList<string>? keys = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8)) { reader.Read(); index = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i) ? i : null; reader.Skip(); }
            else if (reader.ValueTextEquals("content_block"u8))
            {
                if (ReadObjectValue(ref reader))
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("type"u8)) { reader.Read(); type = MessageResponseParser.StringOrNull(ref reader); }
                        else if (reader.ValueTextEquals("name"u8)) { reader.Read(); name = MessageResponseParser.StringOrNull(ref reader); }
                        else if (reader.ValueTextEquals("input"u8)) { reader.Read(); keys = ToolInputKeys.FromObject(ref reader); }
                        else if (reader.ValueTextEquals("text"u8) && Observation.Text is { } collected)
                        {
                            reader.Read();
                            collected.Append(MessageResponseParser.StringOrNull(ref reader));
                        }
                        else { reader.Read(); reader.Skip(); }
                    }
                }
            }
            else { reader.Read(); reader.Skip(); }
        }

        if (type is "tool_use" or "server_tool_use" && name is not null)
        {
            Observation.Text?.ToolUse(name);
        }

        if (type is "tool_use" or "server_tool_use" && name is not null && index is not null)
        {
            _toolBlocks.Add(new ToolBlock(index.Value, name, type, keys));
        }
    }

    private void OnContentBlockDelta(ref Utf8JsonReader reader, long timestamp)
    {
        int? index = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8)) { reader.Read(); index = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i) ? i : null; reader.Skip(); }
            else if (reader.ValueTextEquals("delta"u8))
            {
                if (ReadObjectValue(ref reader))
                {
                    ReadDelta(ref reader, index, timestamp);
                }
            }
            else { reader.Read(); reader.Skip(); }
        }
    }

    private void ReadDelta(ref Utf8JsonReader reader, int? index, long timestamp)
    {
        var isContent = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                // A signature closes a thinking block; it is not content a user waits for.
                isContent = reader.TokenType == JsonTokenType.String && !reader.ValueTextEquals("signature_delta"u8);
            }
            else if (reader.ValueTextEquals("partial_json"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && index is { } i && FindToolBlock(i) is { } block)
                {
                    block.Append(ref reader);
                }
            }
            else if (reader.ValueTextEquals("text"u8) && Observation.Text is { } collected)
            {
                reader.Read();
                collected.Append(MessageResponseParser.StringOrNull(ref reader));
            }
            else { reader.Read(); reader.Skip(); }
        }

        if (isContent)
        {
            Observation.FirstContentDeltaTimestamp ??= timestamp;
        }
    }

    private void OnContentBlockStop(ref Utf8JsonReader reader)
    {
        if (SeekProperty(ref reader, "index"u8) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index)
            && FindToolBlock(index) is { } block)
        {
            block.Finish(Observation);
            _toolBlocks.Remove(block);
        }
    }

    private void OnMessageDelta(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("usage"u8)) { reader.Read(); Observation.UsageState.Read(ref reader); }
            else if (reader.ValueTextEquals("delta"u8))
            {
                if (ReadObjectValue(ref reader))
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("stop_reason"u8)) { reader.Read(); Observation.StopReason = MessageResponseParser.StringOrNull(ref reader) ?? Observation.StopReason; }
                        else if (reader.ValueTextEquals("stop_sequence"u8)) { reader.Read(); Observation.StopSequence = MessageResponseParser.StringOrNull(ref reader) ?? Observation.StopSequence; }
                        else { reader.Read(); reader.Skip(); }
                    }
                }
            }
            else { reader.Read(); reader.Skip(); }
        }
    }

    private void OnError(ref Utf8JsonReader reader)
    {
        if (SeekProperty(ref reader, "error"u8))
        {
            ErrorBody.ReadErrorObject(ref reader, Observation);
        }
        else
        {
            Observation.ErrorType ??= ErrorTypes.Api;
        }

        Observation.Complete = false;
    }

    /// <summary>
    /// From a property name, moves to its value: true on an object's StartObject. Any other value
    /// (null, say) is skipped whole, so the properties after it are still read.
    /// </summary>
    private static bool ReadObjectValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    /// <summary>Moves to the value of a top-level property of the current object.</summary>
    private static bool SeekProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    private static EventType FindType(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        reader.Read();
        return SeekProperty(ref reader, "type"u8) && reader.TokenType == JsonTokenType.String ? Classify(ref reader) : EventType.Unknown;
    }

    private static EventType Classify(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("content_block_delta"u8)) return EventType.ContentBlockDelta;
        if (reader.ValueTextEquals("content_block_start"u8)) return EventType.ContentBlockStart;
        if (reader.ValueTextEquals("content_block_stop"u8)) return EventType.ContentBlockStop;
        if (reader.ValueTextEquals("message_start"u8)) return EventType.MessageStart;
        if (reader.ValueTextEquals("message_delta"u8)) return EventType.MessageDelta;
        if (reader.ValueTextEquals("message_stop"u8)) return EventType.MessageStop;
        if (reader.ValueTextEquals("error"u8)) return EventType.Error;
        return EventType.Unknown;
    }

    private ToolBlock? FindToolBlock(int index)
    {
        foreach (var block in _toolBlocks)
        {
            if (block.Index == index)
            {
                return block;
            }
        }

        return null;
    }

    public void Dispose()
    {
        _sse.Dispose();
        foreach (var block in _toolBlocks)
        {
            block.Dispose();
        }
    }

    private enum EventType
    {
        Unknown,
        MessageStart,
        ContentBlockStart,
        ContentBlockDelta,
        ContentBlockStop,
        MessageDelta,
        MessageStop,
        Error,
    }

    /// <summary>A tool_use block being streamed: its input arrives as <c>partial_json</c> fragments.</summary>
    private sealed class ToolBlock(int index, string name, string kind, IReadOnlyList<string>? startKeys) : IDisposable
    {
        private byte[]? _json;
        private int _length;
        private bool _finished;

        public int Index { get; } = index;

        public void Append(ref Utf8JsonReader reader)
        {
            var max = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
            if (_length + max > MaxToolInputBytes)
            {
                return;
            }

            _json ??= ArrayPool<byte>.Shared.Rent(Math.Max(256, (int)max));
            if (_json.Length < _length + max)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_json.Length * 2, _length + (int)max));
                _json.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_json);
                _json = bigger;
            }

            _length += reader.CopyString(_json.AsSpan(_length));
        }

        public void Finish(MessageObservation into)
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
            var keys = _length > 0 ? ToolInputKeys.FromJson(_json.AsSpan(0, _length)) : startKeys ?? [];
            into.AddToolCall(new ToolCallInfo(name, keys) { Kind = kind });
            Dispose();
        }

        public void Dispose()
        {
            if (_json is not null)
            {
                ArrayPool<byte>.Shared.Return(_json);
                _json = null;
            }
        }
    }
}
