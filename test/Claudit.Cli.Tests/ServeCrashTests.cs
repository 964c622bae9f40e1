using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Claudit.Journal;
using Claudit.Mock;
using Claudit.Store.DuckDb;

namespace Claudit.Cli.Tests;

/// <summary>
/// <c>claudit serve</c> as a real process under load: killed with SIGKILL and started again on the same
/// data directory, the store equals the journal, and the journal holds every answered call but at most
/// those answered in the last fsync interval before the kill; stopped with SIGTERM, it loses nothing.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class ServeCrashTests : IAsyncLifetime
{
    private const int FsyncMs = 100;
    private const int Workers = 8;
    private readonly TempDirectory _dir = new();
    private MockServer _mock = null!;

    public async Task InitializeAsync() =>
        _mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, RateLimits = new RateLimitSettings { Enforced = false } });

    public async Task DisposeAsync()
    {
        await _mock.DisposeAsync();
        _dir.Dispose();
    }

    private string DataDir => _dir.File("data");

    private ClauditProcess Serve(int port) => ClauditProcess.Start(
        ["serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--upstream", _mock.BaseAddress.ToString(), "--data-dir", DataDir,
            "--journal-fsync-ms", FsyncMs.ToString(CultureInfo.InvariantCulture)]);

    /// <summary>Calls through the gateway from <see cref="Workers"/> clients until stopped; the time each 2xx answer arrived.</summary>
    private static async Task<long[]> LoadAsync(Uri gateway, CancellationToken stop, StrongBox<int>? count = null)
    {
        var answered = new ConcurrentQueue<long>();
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(10) };
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
                {
                    Content = new StringContent("""{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"Count me"}]}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("x-api-key", "sk-ant-crash-test");
                request.Headers.Add("anthropic-version", "2023-06-01");
                try
                {
                    using var response = await http.SendAsync(request, stop);
                    await response.Content.ReadAsByteArrayAsync(stop);
                    if (response.IsSuccessStatusCode)
                    {
                        answered.Enqueue(Stopwatch.GetTimestamp());
                        if (count is not null)
                        {
                            Interlocked.Increment(ref count.Value);
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                {
                    await Task.Delay(10, CancellationToken.None); // the gateway is gone: what was answered is counted
                }
            }
        })));
        return [.. answered];
    }

    private static async Task UntilAsync(Func<bool> done, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!done() && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(50);
        }
    }

    private async Task<long> JournalRecordsAsync()
    {
        long records = 0;
        foreach (var file in JsonlFiles.Expand([Path.Combine(DataDir, "journal")]))
        {
            await foreach (var _ in JsonlRecordReader.ReadFileAsync(file, new ReadStats()))
            {
                records++;
            }
        }

        return records;
    }

    private async Task<long> StoredRecordsAsync()
    {
        await using var store = DuckDbCallStore.Open(Path.Combine(DataDir, DuckDbCallStore.FileName), readOnly: true);
        return await store.CountAsync();
    }

    /// <summary>Restarts on the data directory, waits for /readyz (the store caught up), then stops it with SIGTERM.</summary>
    private async Task RestartAndStopAsync()
    {
        var port = ClauditProcess.FreePort();
        await using var again = Serve(port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await again.WaitForAsync(http, "/readyz", TimeSpan.FromSeconds(90));
        var ready = JsonDocument.Parse(await http.GetStringAsync("/readyz")).RootElement;
        Assert.Equal(0, ready.GetProperty("store_lag").GetInt64());
        again.Terminate();
        Assert.Equal(0, await again.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.DoesNotContain("Exception", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killed_under_load_and_restarted_the_store_equals_the_journal_and_only_the_last_interval_is_lost()
    {
        var port = ClauditProcess.FreePort();
        var gateway = new Uri($"http://127.0.0.1:{port}");
        long[] answered;
        long killedAt;
        await using (var serve = Serve(port))
        {
            using (var http = new HttpClient { BaseAddress = gateway })
            {
                await serve.WaitForAsync(http, "/healthz", TimeSpan.FromSeconds(60));
            }

            using var stop = new CancellationTokenSource();
            var answeredSoFar = new StrongBox<int>();
            var load = LoadAsync(gateway, stop.Token, answeredSoFar);
            await UntilAsync(() => answeredSoFar.Value >= 2_000, TimeSpan.FromSeconds(15)); // a busy machine answers fewer a second
            killedAt = Stopwatch.GetTimestamp();
            serve.Kill();
            await Task.Delay(300);
            await stop.CancelAsync();
            answered = await load;
        }

        await RestartAndStopAsync();
        var journal = await JournalRecordsAsync();
        var stored = await StoredRecordsAsync();

        // What a kill -9 may lose: calls answered in the last fsync interval, doubled for the timer's lateness on a busy machine.
        var window = Stopwatch.Frequency * 2 * FsyncMs / 1000;
        var inLastInterval = answered.Count(t => t >= killedAt - window);
        var lost = answered.Length - journal;
        Assert.True(answered.Length >= 200, $"only {answered.Length} calls were answered: no load to speak of");
        Assert.Equal(journal, stored);
        Assert.True(lost <= inLastInterval, $"{answered.Length} answered, {journal} journaled: {lost} lost, more than the {inLastInterval} answered in the last {2 * FsyncMs} ms");
        Assert.True(journal <= answered.Length + Workers, $"{journal} journaled, {answered.Length} answered: at most {Workers} calls were in flight");
    }

    [Fact]
    public async Task Stopped_with_sigterm_under_load_it_drains_everything_and_exits_cleanly()
    {
        var port = ClauditProcess.FreePort();
        var gateway = new Uri($"http://127.0.0.1:{port}");
        long[] answered;
        await using (var serve = Serve(port))
        {
            using (var http = new HttpClient { BaseAddress = gateway })
            {
                await serve.WaitForAsync(http, "/healthz", TimeSpan.FromSeconds(60));
            }

            using var stop = new CancellationTokenSource();
            var load = LoadAsync(gateway, stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(3));
            serve.Terminate();
            Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            await stop.CancelAsync();
            answered = await load;
            Assert.DoesNotContain("Exception", serve.Error, StringComparison.Ordinal);
            Assert.Contains("0 not yet in the store", serve.Error, StringComparison.Ordinal);
        }

        var journal = await JournalRecordsAsync();
        Assert.True(journal >= answered.Length, $"{answered.Length} answered, {journal} journaled");
        Assert.Equal(journal, await StoredRecordsAsync());
    }
}
