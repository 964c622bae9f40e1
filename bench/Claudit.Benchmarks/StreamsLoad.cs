using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Claudit.Benchmarks;

/// <summary>
/// The client side of <c>bench/streams.sh</c>: keeps CONCURRENCY streaming Messages calls open against a URL
/// for SECONDS (each worker starts its next call when one ends; starts are spread over the ramp so the
/// upstream's pacing, not a thundering herd, shapes the load), and reports time to first token (first
/// <c>content_block_delta</c>) and the gaps between reads that carried a delta, as percentiles, with calls
/// completed and failed. Prompts differ per call, so the mock's answers (and their lengths) differ too.
/// Bounded: calls still open <see cref="Grace"/> after SECONDS are cut and counted apart (<c>cut</c>), not as failures.
/// </summary>
internal static class StreamsLoad
{
    /// <summary>How long calls begun before the end may take to finish (an overloaded proxy slows them down) before they are cut.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(string url, int concurrency, int seconds, string model, double rampSeconds)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        })
        { Timeout = TimeSpan.FromMinutes(5) };
        var ttfts = new List<double>[concurrency];
        var gaps = new List<float>[concurrency];
        long completed = 0, failed = 0, started = 0, cut = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds) + Grace);
        string? firstError = null;
        var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = w;
            ttfts[w] = [];
            gaps[w] = [];
            workers[w] = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(rampSeconds * worker / concurrency));
                var buffer = new byte[8192];
                for (var call = 0; Stopwatch.GetTimestamp() < stopAt; call++)
                {
                    Interlocked.Increment(ref started);
                    var body = $$"""{"model":"{{model}}","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Stream {{worker}}.{{call}}: explain how a reverse proxy observes server-sent events."}]}""";
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-bench-" + "not-a-key");
                        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
                        var sent = Stopwatch.GetTimestamp();
                        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                        if (!response.IsSuccessStatusCode)
                        {
                            throw new HttpRequestException($"HTTP {(int)response.StatusCode}");
                        }

                        await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
                        long? firstDelta = null, lastDelta = null;
                        var stopped = false;
                        int read;
                        while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
                        {
                            var chunk = buffer.AsSpan(0, read);
                            var now = Stopwatch.GetTimestamp();
                            if (chunk.IndexOf("content_block_delta"u8) >= 0)
                            {
                                if (firstDelta is null)
                                {
                                    firstDelta = now;
                                    ttfts[worker].Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
                                }
                                else
                                {
                                    gaps[worker].Add((float)Stopwatch.GetElapsedTime(lastDelta!.Value, now).TotalMilliseconds);
                                }

                                lastDelta = now;
                            }

                            stopped |= chunk.IndexOf("message_stop"u8) >= 0;
                        }

                        if (!stopped)
                        {
                            throw new IOException("the stream ended before message_stop");
                        }

                        Interlocked.Increment(ref completed);
                    }
                    catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref cut);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstError, ex.InnerException is { } inner ? $"{ex.Message} ({inner.GetType().Name}: {inner.Message})" : ex.Message, null);
                    }
                }
            });
        }

        await Task.WhenAll(workers);
        var allTtft = ttfts.SelectMany(l => l).Order().ToArray();
        var allGaps = gaps.SelectMany(l => l).Select(g => (double)g).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"calls {started} completed {completed} failed {failed} cut {cut} ttft_ms p50 {P(allTtft, 0.5):F1} p90 {P(allTtft, 0.9):F1} p99 {P(allTtft, 0.99):F1} gap_ms p50 {P(allGaps, 0.5):F2} p99 {P(allGaps, 0.99):F2} p999 {P(allGaps, 0.999):F2} max {(allGaps.Length > 0 ? allGaps[^1] : 0):F1} gaps {allGaps.Length}"));
        if (firstError is not null)
        {
            Console.WriteLine($"first error: {firstError}");
        }
    }

    private static double P(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}
