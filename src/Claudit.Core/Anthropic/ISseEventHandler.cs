namespace Claudit.Core.Anthropic;

/// <summary>Receives whole SSE events from <see cref="SseParser"/>. The spans are valid only during the call.</summary>
public interface ISseEventHandler
{
    void OnEvent(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, long timestamp);
}
