using Claudit.Core.Anthropic;
using Claudit.Core.Tests.Support;

namespace Claudit.Core.Tests;

/// <summary>
/// The stream observer sits in the request path: no input, however broken, may make it throw.
/// Seeds are fixed so a failure reproduces.
/// </summary>
public class StreamFuzzTests
{
    private const int Iterations = 2_000;

    private static MessageObservation FeedChunked(byte[] input, Mutator random)
    {
        using var observer = new MessageStreamObserver();
        var offset = 0;
        using var sizes = random.Chunks().GetEnumerator();
        while (offset < input.Length && sizes.MoveNext())
        {
            var n = Math.Min(sizes.Current, input.Length - offset);
            observer.Feed(input.AsSpan(offset, n), Observe.Timestamp);
            offset += n;
        }

        return observer.Complete();
    }

    private static void AssertSane(MessageObservation o)
    {
        // Reading every property must not throw either.
        _ = Observe.Describe(o);
        Assert.InRange(o.MalformedEvents, 0, o.EventCount);
        Assert.False(o.Complete && o.HasError);
        if (o.Usage is { } u)
        {
            Assert.True(u.InputTokens >= 0 && u.OutputTokens >= 0 && u.CacheCreationInputTokens >= 0 && u.CacheReadInputTokens >= 0);
            Assert.True(u.EffectiveCacheWrite5m >= 0 && u.EffectiveCacheWrite1h >= 0);
        }
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Mutator(20260807);
        for (var i = 0; i < Iterations; i++)
        {
            var input = random.RandomBytes(600);
            AssertSane(FeedChunked(input, random));
        }
    }

    [Fact]
    public void Random_bytes_after_a_valid_prefix_never_throw()
    {
        var random = new Mutator(11);
        var prefix = StreamFiles.Load(StreamFiles.ToolUse);
        for (var i = 0; i < Iterations / 4; i++)
        {
            var cut = random.Next(prefix.Length);
            var input = prefix[..cut].Concat(random.RandomBytes(400)).ToArray();
            AssertSane(FeedChunked(input, random));
        }
    }

    [Fact]
    public void Mutated_streams_never_throw_and_stay_chunking_independent()
    {
        var random = new Mutator(42);
        var streams = StreamFiles.Names.Select(StreamFiles.Load).ToArray();
        for (var i = 0; i < Iterations; i++)
        {
            var input = random.Mutate(streams[i % streams.Length]);
            var chunked = FeedChunked(input, random);
            AssertSane(chunked);

            // Framing does not depend on chunk boundaries even for broken input.
            var whole = Observe.Whole(input);
            Assert.Equal(Observe.Describe(whole), Observe.Describe(chunked));
        }
    }

    [Fact]
    public void Random_chunkings_of_valid_streams_equal_whole()
    {
        var random = new Mutator(7);
        var streams = StreamFiles.Names.Select(StreamFiles.Load).ToArray();
        var wholes = streams.Select(s => Observe.Describe(Observe.Whole(s))).ToArray();
        for (var i = 0; i < Iterations; i++)
        {
            var k = i % streams.Length;
            Assert.Equal(wholes[k], Observe.Describe(FeedChunked(streams[k], random)));
        }
    }

    [Fact]
    public void Events_with_wrong_json_types_never_throw()
    {
        // Valid JSON where every field has the wrong type: the reader paths that skip values.
        string[] values = ["null", "1", "-1", "1.5", "true", "\"s\"", "[]", "[1,{\"a\":2}]", "{}", "{\"type\":\"text\"}", "{\"x\":[null]}"];
        string[] types = ["message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop", "error", "ping"];
        string[] fields = ["message", "usage", "content_block", "delta", "index", "error", "type", "partial_json", "input", "name", "stop_reason"];
        var random = new Mutator(3);
        for (var i = 0; i < Iterations; i++)
        {
            var type = types[random.Next(types.Length)];
            var body = string.Join(",", Enumerable.Range(0, 1 + random.Next(4))
                .Select(_ => $"\"{fields[random.Next(fields.Length)]}\":{values[random.Next(values.Length)]}"));
            var sse = $"event: {type}\ndata: {{\"type\":\"{type}\",{body}}}\n\n";
            var input = System.Text.Encoding.UTF8.GetBytes(sse);
            var o = FeedChunked(input, random);
            AssertSane(o);
            Assert.Equal(1, o.EventCount);
        }
    }

    [Fact]
    public void An_oversized_event_is_dropped_without_throwing()
    {
        var huge = new byte[SseParser.MaxEventBytes + 100];
        Array.Fill(huge, (byte)'x');
        var input = System.Text.Encoding.UTF8.GetBytes("data: ").Concat(huge).Concat(System.Text.Encoding.UTF8.GetBytes("\n\n"))
            .Concat(StreamFiles.Load(StreamFiles.Text)).ToArray();

        var whole = Observe.Whole(input);
        var chunked = Observe.Chunked(input, Enumerable.Repeat(64 * 1024, 1_000));

        Assert.Equal(Observe.Describe(whole), Observe.Describe(chunked));
        // The stream after the oversized event is still read.
        Assert.True(whole.Complete);
        Assert.Equal(15, whole.Usage!.OutputTokens);
    }
}
