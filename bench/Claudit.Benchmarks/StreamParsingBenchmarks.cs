using System.Text;
using BenchmarkDotNet.Attributes;
using Claudit.Core.Anthropic;

namespace Claudit.Benchmarks;

/// <summary>
/// The SSE observer as the gateway will run it: a 200-delta text stream fed in network-sized chunks.
/// Reported per stream; divide by the byte count for MB/s.
/// </summary>
[MemoryDiagnoser]
public class StreamParsingBenchmarks
{
    private byte[] _stream = [];
    private byte[] _body = [];

    [Params(64, 4096)]
    public int ChunkSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sb = new StringBuilder();
        sb.Append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":2500,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":12000,\"output_tokens\":1}}}\n\n");
        sb.Append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        for (var i = 0; i < 200; i++)
        {
            sb.Append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Some words of the answer \"}}\n\n");
            if (i % 50 == 0)
            {
                sb.Append("event: ping\ndata: {\"type\": \"ping\"}\n\n");
            }
        }

        sb.Append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        sb.Append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":812}}\n\n");
        sb.Append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        _stream = Encoding.UTF8.GetBytes(sb.ToString());
        _body = Encoding.UTF8.GetBytes("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\",\"text\":\"" + new string('x', 3000) + "\"},{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"location\":\"Paris\",\"unit\":\"c\"}}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":2500,\"cache_creation_input_tokens\":1024,\"cache_read_input_tokens\":0,\"cache_creation\":{\"ephemeral_5m_input_tokens\":1024,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":120,\"service_tier\":\"standard\"}}");
    }

    [Benchmark]
    public long ObserveStream()
    {
        using var observer = new MessageStreamObserver();
        var span = _stream.AsSpan();
        for (var i = 0; i < span.Length; i += ChunkSize)
        {
            observer.Feed(span.Slice(i, Math.Min(ChunkSize, span.Length - i)), i);
        }

        return observer.Complete().Usage!.OutputTokens;
    }

    [Benchmark]
    public long ParseBody() => MessageResponseParser.Parse(_body).Usage!.OutputTokens;
}
