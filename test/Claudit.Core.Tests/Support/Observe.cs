using System.Globalization;
using System.Text;
using Claudit.Core.Anthropic;

namespace Claudit.Core.Tests.Support;

/// <summary>Runs bytes through a <see cref="MessageStreamObserver"/> in a chosen chunking.</summary>
internal static class Observe
{
    public const long Timestamp = 7;

    public static MessageObservation Whole(byte[] stream) => Chunked(stream, [stream.Length]);

    public static MessageObservation ByteByByte(byte[] stream)
    {
        using var observer = new MessageStreamObserver();
        for (var i = 0; i < stream.Length; i++)
        {
            observer.Feed(stream.AsSpan(i, 1), Timestamp);
        }

        return observer.Complete();
    }

    public static MessageObservation SplitAt(byte[] stream, int at)
    {
        using var observer = new MessageStreamObserver();
        observer.Feed(stream.AsSpan(0, at), Timestamp);
        observer.Feed(stream.AsSpan(at), Timestamp);
        return observer.Complete();
    }

    /// <summary>Feeds consecutive chunks of the given sizes (the last size may overshoot), every chunk at <see cref="Timestamp"/>.</summary>
    public static MessageObservation Chunked(byte[] stream, IEnumerable<int> sizes)
    {
        using var observer = new MessageStreamObserver();
        var offset = 0;
        foreach (var size in sizes)
        {
            if (offset >= stream.Length)
            {
                break;
            }

            var n = Math.Min(size, stream.Length - offset);
            observer.Feed(stream.AsSpan(offset, n), Timestamp);
            offset += n;
        }

        if (offset < stream.Length)
        {
            observer.Feed(stream.AsSpan(offset), Timestamp);
        }

        return observer.Complete();
    }

    /// <summary>Feeds each piece as one chunk with its own timestamp.</summary>
    public static MessageObservation Pieces(IReadOnlyList<byte[]> pieces, Func<int, long> timestampOf)
    {
        using var observer = new MessageStreamObserver();
        for (var i = 0; i < pieces.Count; i++)
        {
            observer.Feed(pieces[i], timestampOf(i));
        }

        return observer.Complete();
    }

    /// <summary>Every observable field, in one string, so two observations can be compared exactly.</summary>
    public static string Describe(MessageObservation o)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"id={o.MessageId}|model={o.Model}|stop={o.StopReason}|seq={o.StopSequence}");
        sb.Append(CultureInfo.InvariantCulture, $"|usage={o.Usage}");
        sb.Append(CultureInfo.InvariantCulture, $"|error={o.ErrorType}/{o.ErrorMessage}/{o.RequestId}|hasError={o.HasError}");
        sb.Append(CultureInfo.InvariantCulture, $"|start={o.SawMessageStart}|complete={o.Complete}|blocks={o.ContentBlocks}");
        sb.Append(CultureInfo.InvariantCulture, $"|events={o.EventCount}|malformed={o.MalformedEvents}");
        sb.Append(CultureInfo.InvariantCulture, $"|ts={o.FirstByteTimestamp},{o.FirstEventTimestamp},{o.FirstContentDeltaTimestamp},{o.LastEventTimestamp}");
        foreach (var call in o.ToolCalls)
        {
            sb.Append(CultureInfo.InvariantCulture, $"|tool={call.Kind}:{call.Name}({string.Join(",", call.InputKeys)})");
        }

        return sb.ToString();
    }
}
