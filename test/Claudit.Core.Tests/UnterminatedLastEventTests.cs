using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Core.Tests.Support;

namespace Claudit.Core.Tests;

/// <summary>A saved stream whose final blank line an editor stripped: live streams drop the event, saved files keep it.</summary>
public class UnterminatedLastEventTests
{
    private static byte[] WithoutFinalBlankLine()
    {
        var text = Encoding.UTF8.GetString(StreamFiles.Load(StreamFiles.Text)).TrimEnd('\n', '\r');
        return Encoding.UTF8.GetBytes(text);
    }

    [Fact]
    public void Live_stream_drops_an_event_without_its_blank_line()
    {
        using var observer = new MessageStreamObserver();
        observer.Feed(WithoutFinalBlankLine());

        Assert.False(observer.Complete().Complete);
    }

    [Fact]
    public void Saved_file_reads_its_last_event_without_the_blank_line()
    {
        using var observer = new MessageStreamObserver();
        observer.Feed(WithoutFinalBlankLine());
        var o = observer.Complete(acceptUnterminatedEvent: true);

        Assert.True(o.Complete);
        Assert.Equal(15, o.Usage!.OutputTokens);
    }
}
