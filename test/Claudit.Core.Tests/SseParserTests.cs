using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Core.Tests.Support;

namespace Claudit.Core.Tests;

/// <summary>SSE framing (the WHATWG event-stream rules), independent of what the events mean.</summary>
public class SseParserTests
{
    private sealed class Collector : ISseEventHandler
    {
        public List<(string Name, string Data, long Timestamp)> Events { get; } = [];

        public void OnEvent(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, long timestamp) =>
            Events.Add((Encoding.UTF8.GetString(eventName), Encoding.UTF8.GetString(data), timestamp));
    }

    private static List<(string Name, string Data, long Timestamp)> Parse(string stream, out bool pendingAtEnd)
    {
        using var parser = new SseParser();
        var collector = new Collector();
        parser.Feed(Encoding.UTF8.GetBytes(stream), collector);
        pendingAtEnd = parser.Complete();
        return collector.Events;
    }

    private static List<(string Name, string Data, long Timestamp)> Parse(string stream) => Parse(stream, out _);

    [Fact]
    public void Event_and_data_fields_make_one_event_per_blank_line()
    {
        var events = Parse("event: message_start\ndata: {\"a\":1}\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\n");

        Assert.Equal([("message_start", "{\"a\":1}", 0L), ("ping", "{\"type\": \"ping\"}", 0L)], events);
    }

    [Fact]
    public void Only_one_leading_space_is_removed_from_a_value()
    {
        var events = Parse("data:no-space\n\ndata:  two-spaces\n\n");

        Assert.Equal("no-space", events[0].Data);
        Assert.Equal(" two-spaces", events[1].Data);
    }

    [Fact]
    public void Several_data_lines_join_with_a_line_feed()
    {
        var events = Parse("data: first\ndata:\ndata: third\n\n");

        Assert.Equal("first\n\nthird", Assert.Single(events).Data);
    }

    [Fact]
    public void Event_name_defaults_to_message_and_resets_after_each_event()
    {
        var events = Parse("event: custom\ndata: 1\n\ndata: 2\n\n");

        Assert.Equal("custom", events[0].Name);
        Assert.Equal("message", events[1].Name);
    }

    [Fact]
    public void Comments_ids_retry_and_unknown_fields_are_ignored()
    {
        var events = Parse(": keep-alive\nid: 42\nretry: 1000\nfoo: bar\nfieldwithoutcolon\ndata: x\n\n");

        Assert.Equal(("message", "x", 0L), Assert.Single(events));
    }

    [Fact]
    public void Blank_lines_without_data_dispatch_nothing()
    {
        var events = Parse("\n\n\nevent: lonely\n\n: comment\n\n");

        Assert.Empty(events);
    }

    [Fact]
    public void An_empty_data_field_still_makes_an_event()
    {
        var events = Parse("data:\n\n");

        Assert.Equal(("message", "", 0L), Assert.Single(events));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void All_three_line_endings_frame_the_same_events(string eol)
    {
        var events = Parse($"event: a{eol}data: 1{eol}{eol}event: b{eol}data: 2{eol}{eol}");

        Assert.Equal([("a", "1", 0L), ("b", "2", 0L)], events);
    }

    [Fact]
    public void Mixed_line_endings_in_one_stream()
    {
        var events = Parse("event: a\r\ndata: 1\n\revent: b\rdata: 2\r\n\r\n");

        Assert.Equal([("a", "1", 0L), ("b", "2", 0L)], events);
    }

    [Fact]
    public void Carriage_return_at_a_chunk_end_and_line_feed_at_the_next_chunk_start_are_one_line_end()
    {
        using var parser = new SseParser();
        var collector = new Collector();

        parser.Feed("data: 1\r"u8, collector, 1);
        parser.Feed("\n\r"u8, collector, 2);
        parser.Feed("\ndata: 2\r\n\r\n"u8, collector, 3);

        Assert.Equal([("message", "1", 2L), ("message", "2", 3L)], collector.Events);
    }

    [Fact]
    public void A_crlf_split_between_two_data_lines_keeps_them_in_one_event()
    {
        using var parser = new SseParser();
        var collector = new Collector();

        parser.Feed("event: a\r"u8, collector);
        parser.Feed("\ndata: 1\r"u8, collector);
        parser.Feed("\ndata: 2\r\n\r\n"u8, collector);

        Assert.Equal(("a", "1\n2", 0L), Assert.Single(collector.Events));
    }

    [Theory]
    [MemberData(nameof(StreamFiles.All), MemberType = typeof(StreamFiles))]
    public void Every_single_split_point_frames_the_same_events(string name)
    {
        var bytes = StreamFiles.Load(name);
        var whole = Parse(StreamFiles.Utf8(bytes));
        Assert.NotEmpty(whole);

        for (var at = 0; at <= bytes.Length; at++)
        {
            using var parser = new SseParser();
            var collector = new Collector();
            parser.Feed(bytes.AsSpan(0, at), collector);
            parser.Feed(bytes.AsSpan(at), collector);
            parser.Complete();
            Assert.True(whole.SequenceEqual(collector.Events), $"{name}: split at byte {at} frames different events");
        }
    }

    [Fact]
    public void The_timestamp_is_that_of_the_chunk_that_completes_the_event()
    {
        using var parser = new SseParser();
        var collector = new Collector();

        parser.Feed("event: message_start\nda"u8, collector, 10);
        parser.Feed("ta: {}\n"u8, collector, 20);
        Assert.Empty(collector.Events);
        parser.Feed("\nevent: ping\ndata: {}\n\n"u8, collector, 30);

        Assert.Equal([("message_start", "{}", 30L), ("ping", "{}", 30L)], collector.Events);
    }

    [Fact]
    public void An_event_without_its_blank_line_is_discarded_at_the_end()
    {
        var events = Parse("data: whole\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n", out var pending);

        Assert.Equal("whole", Assert.Single(events).Data);
        Assert.True(pending);
    }

    [Fact]
    public void Complete_reports_nothing_pending_after_a_whole_stream()
    {
        Parse("data: whole\n\n", out var pending);

        Assert.False(pending);
    }

    [Fact]
    public void Complete_reports_a_half_line()
    {
        var events = Parse("data: whole\n\ndata: {\"type\":\"mess", out var pending);

        Assert.Single(events);
        Assert.True(pending);
    }

    [Fact]
    public void Multibyte_characters_split_across_chunks_arrive_whole()
    {
        var bytes = Encoding.UTF8.GetBytes("data: Gr\u00fc\u00dfe \U0001F44B\n\n");
        using var parser = new SseParser();
        var collector = new Collector();
        foreach (var b in bytes)
        {
            parser.Feed([b], collector);
        }

        Assert.Equal("Gr\u00fc\u00dfe \U0001F44B", Assert.Single(collector.Events).Data);
    }

    [Fact]
    public void Bytes_seen_counts_every_byte_fed()
    {
        using var parser = new SseParser();
        var collector = new Collector();
        parser.Feed("data: 1\r"u8, collector);
        parser.Feed("\n\n"u8, collector);

        Assert.Equal(10, parser.BytesSeen);
    }

    [Fact]
    public void An_oversized_event_is_dropped_and_counted_and_the_next_one_is_read()
    {
        var big = new string('x', SseParser.MaxEventBytes);
        var events = Parse($"data: {big}\ndata: more\n\ndata: next\n\n");

        Assert.Equal(("message", "next", 0L), Assert.Single(events));
    }

    [Fact]
    public void Oversized_events_are_counted()
    {
        using var parser = new SseParser();
        var collector = new Collector();
        parser.Feed(Encoding.UTF8.GetBytes($"data: {new string('x', SseParser.MaxEventBytes + 1)}\n\ndata: ok\n\n"), collector);

        Assert.Equal(1, parser.OversizedEvents);
        Assert.Equal("ok", Assert.Single(collector.Events).Data);
    }

    [Fact]
    public void A_huge_comment_line_does_not_spoil_the_event_whatever_the_chunking()
    {
        // Fed whole, a comment line is ignored however long it is; fed in pieces it must be too.
        var stream = Encoding.UTF8.GetBytes($": {new string('c', SseParser.MaxEventBytes + 100)}\ndata: kept\n\n");

        var whole = new Collector();
        using (var parser = new SseParser())
        {
            parser.Feed(stream, whole);
        }

        var chunked = new Collector();
        using (var parser = new SseParser())
        {
            for (var offset = 0; offset < stream.Length; offset += 65_536)
            {
                parser.Feed(stream.AsSpan(offset, Math.Min(65_536, stream.Length - offset)), chunked);
            }

            Assert.Equal(0, parser.OversizedEvents);
        }

        Assert.Equal(("message", "kept", 0L), Assert.Single(whole.Events));
        Assert.Equal(whole.Events, chunked.Events);
    }

    [Fact]
    public void An_oversized_data_line_is_dropped_whatever_the_chunking()
    {
        var stream = Encoding.UTF8.GetBytes($"data: {new string('d', SseParser.MaxEventBytes + 100)}\n\ndata: next\n\n");
        foreach (var size in new[] { stream.Length, 65_536, 3 })
        {
            var collector = new Collector();
            using var parser = new SseParser();
            for (var offset = 0; offset < stream.Length; offset += size)
            {
                parser.Feed(stream.AsSpan(offset, Math.Min(size, stream.Length - offset)), collector);
            }

            Assert.Equal(1, parser.OversizedEvents);
            Assert.Equal(("message", "next", 0L), Assert.Single(collector.Events));
        }
    }

    [Theory]
    [MemberData(nameof(StreamFiles.All), MemberType = typeof(StreamFiles))]
    public void Captured_streams_frame_into_their_events(string name)
    {
        var bytes = StreamFiles.Load(name);
        var text = StreamFiles.Utf8(bytes).Replace("\r\n", "\n", StringComparison.Ordinal);
        // Independent count: every "event: X\ndata: ...\n\n" block of the capture.
        var blocks = text.Split("\n\n").Where(b => b.StartsWith("event: ", StringComparison.Ordinal) && b.Contains("\ndata: ", StringComparison.Ordinal)).ToList();
        var truncatedTail = !text.EndsWith("\n\n", StringComparison.Ordinal);
        if (truncatedTail)
        {
            blocks.RemoveAt(blocks.Count - 1);
        }

        var events = Parse(StreamFiles.Utf8(bytes), out var pending);

        Assert.Equal(blocks.Count, events.Count);
        Assert.Equal(truncatedTail, pending);
        for (var i = 0; i < blocks.Count; i++)
        {
            var lines = blocks[i].Split('\n');
            Assert.Equal(lines[0]["event: ".Length..], events[i].Name);
            Assert.Equal(lines[1]["data: ".Length..], events[i].Data);
        }
    }
}
