using Claudit.Core.Tests.Support;

namespace Claudit.Core.Tests;

/// <summary>
/// Chunk boundaries are the network's choice: whatever they are, the observation must be the same
/// as when the stream arrives in one piece.
/// </summary>
public class StreamChunkingTests
{
    [Theory]
    [MemberData(nameof(StreamFiles.All), MemberType = typeof(StreamFiles))]
    public void Byte_by_byte_equals_whole(string name)
    {
        var stream = StreamFiles.Load(name);
        var whole = Observe.Describe(Observe.Whole(stream));

        Assert.Equal(whole, Observe.Describe(Observe.ByteByByte(stream)));
    }

    [Theory]
    [MemberData(nameof(StreamFiles.All), MemberType = typeof(StreamFiles))]
    public void Every_single_split_point_equals_whole(string name)
    {
        var stream = StreamFiles.Load(name);
        var whole = Observe.Describe(Observe.Whole(stream));
        Assert.Contains("|events=", whole, StringComparison.Ordinal);

        for (var at = 0; at <= stream.Length; at++)
        {
            var split = Observe.Describe(Observe.SplitAt(stream, at));
            if (split != whole)
            {
                Assert.Fail($"{name}: split at byte {at} of {stream.Length} differs.\nwhole: {whole}\nsplit: {split}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(StreamFiles.All), MemberType = typeof(StreamFiles))]
    public void Whole_observation_is_not_trivial(string name)
    {
        var o = Observe.Whole(StreamFiles.Load(name));

        // The comparisons above would pass for two empty observations; these captures are not empty.
        Assert.True(o.SawMessageStart);
        Assert.NotNull(o.MessageId);
        Assert.NotNull(o.Usage);
        Assert.True(o.EventCount >= 4);
        Assert.Equal(0, o.MalformedEvents);
        Assert.Equal(Observe.Timestamp, o.FirstContentDeltaTimestamp);
    }

    [Theory]
    [MemberData(nameof(StreamFiles.All), MemberType = typeof(StreamFiles))]
    public void Two_and_three_way_splits_around_line_ends_equal_whole(string name)
    {
        // Every pair of cut points within a few bytes of each line end: CR/LF pairs, blank lines and
        // "data:" prefixes are where a framing bug would show.
        var stream = StreamFiles.Load(name);
        var whole = Observe.Describe(Observe.Whole(stream));
        var ends = Enumerable.Range(0, stream.Length).Where(i => stream[i] is (byte)'\n' or (byte)'\r').ToArray();

        foreach (var end in ends)
        {
            for (var a = Math.Max(0, end - 2); a <= Math.Min(stream.Length, end + 2); a++)
            {
                for (var len = 1; len <= 6; len++)
                {
                    var actual = Observe.Describe(Observe.Chunked(stream, [a, len]));
                    if (actual != whole)
                    {
                        Assert.Fail($"{name}: chunks [{a}, {len}, rest] differ.\nwhole:  {whole}\nchunks: {actual}");
                    }
                }
            }
        }
    }
}
