namespace Claudit.Mock;

/// <summary>
/// When bytes leave the mock. <c>realistic</c>: time to first token by model family (longer for long
/// prompts) and output at the family's tokens per second, jittered by the seeded generator.
/// <c>fast</c>: no waiting and a single flush, so a load test measures the caller, not the mock.
/// </summary>
internal sealed class Pacing
{
    private readonly bool _fast;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttft;
    private readonly double _tokensPerSecond;

    public Pacing(MockOptions options, string model, long promptTokens, Random random)
    {
        _fast = options.Profile == MockProfile.Fast;
        _time = options.TimeProvider;
        var (ttft, tps) = MockModels.Pace(model);
        var jitter = 0.7 + (random.NextDouble() * 0.6);
        _ttft = (ttft * jitter) + TimeSpan.FromMilliseconds(promptTokens / 50.0);
        _tokensPerSecond = tps / jitter;
    }

    /// <summary>The first event goes out at once in realistic mode: TTFB comes well before TTFT.</summary>
    public Task FlushAfterFirstByteAsync(SseResponseWriter sse, CancellationToken ct) => _fast ? Task.CompletedTask : sse.FlushAsync(ct);

    public Task WaitFirstTokenAsync(CancellationToken ct) => _fast ? Task.CompletedTask : Task.Delay(_ttft * 0.8, _time, ct);

    public async Task AfterPieceAsync(SseResponseWriter sse, string piece, CancellationToken ct)
    {
        if (_fast)
        {
            return;
        }

        await sse.FlushAsync(ct);
        var tokens = Math.Max(1, piece.Count(c => c == ' ' || c == '.'));
        await Task.Delay(TimeSpan.FromSeconds(tokens / _tokensPerSecond), _time, ct);
    }

    public Task WaitWholeAsync(long outputTokens, CancellationToken ct) =>
        _fast ? Task.CompletedTask : Task.Delay(_ttft + TimeSpan.FromSeconds(outputTokens / _tokensPerSecond), _time, ct);
}
