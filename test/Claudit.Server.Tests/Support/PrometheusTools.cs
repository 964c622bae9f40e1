using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Claudit.Server.Tests.Support;

/// <summary>One sample of an instant query: its labels (with <c>__name__</c> when it has one) and value.</summary>
internal sealed record PromSample(IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? Label(string name) => Labels.TryGetValue(name, out var v) ? v : null;

    public override string ToString() => "{" + string.Join(", ", Labels.Select(l => $"{l.Key}=\"{l.Value}\"")) + "} " + Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Debian's <c>prometheus</c> and <c>promtool</c>, run as real processes. A machine without them fails
/// the tests that need them, with the way to install them: these tests never skip.
/// </summary>
internal static class PrometheusTools
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The full path of <paramref name="tool"/> on PATH, or a failed test saying how to get it.</summary>
    public static string Require(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"'{tool}' is not on PATH: these tests run a real Prometheus. Run .ci/run (it installs it) or `apt-get install -y prometheus prometheus-alertmanager` (Debian's packages bring prometheus and promtool, and amtool).");
        throw new UnreachableException();
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(Require(tool)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish within {Patience.TotalSeconds}s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A port free at the time of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Parses <c>promtool query instant -o json</c>: a vector of <c>{metric, value: [t, "v"]}</c>, or one scalar.</summary>
    public static List<PromSample> ParseQueryJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var samples = new List<PromSample>();
        if (doc.RootElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                var labels = new Dictionary<string, string>();
                if (item.TryGetProperty("metric", out var metric))
                {
                    foreach (var p in metric.EnumerateObject())
                    {
                        labels[p.Name] = p.Value.GetString() ?? "";
                    }
                }

                samples.Add(new PromSample(labels, ParseValue(item.GetProperty("value")[1].GetString())));
            }
        }
        else if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("value", out var scalar))
        {
            samples.Add(new PromSample(new Dictionary<string, string>(), ParseValue(scalar[1].GetString())));
        }

        return samples;
    }

    private static double ParseValue(string? text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text ?? "", NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// A real Prometheus server as a child process, scraping one target every second into a temporary
/// TSDB; killed (with its temporary directory removed) on dispose. Its log is kept for failure messages.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _dir;

    private PrometheusServer(Process process, string dir, int port, string target)
    {
        _process = process;
        Target = target;
        _dir = dir;
        Address = $"http://127.0.0.1:{port}";
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public string Address { get; }

    /// <summary>The scraped <c>host:port</c>.</summary>
    public string Target { get; }

    /// <summary>What Prometheus has printed so far (its log goes to stderr).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <param name="target"><c>host:port</c> to scrape at <c>/metrics</c>.</param>
    /// <param name="ruleFiles">Rule files to load and evaluate every second.</param>
    public static async Task<PrometheusServer> StartAsync(string target, params string[] ruleFiles)
    {
        var exe = PrometheusTools.Require("prometheus");
        PrometheusTools.Require("promtool");
        var dir = Directory.CreateTempSubdirectory("claudit-prometheus-").FullName;
        var config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files: [{string.Join(", ", ruleFiles.Select(f => $"\"{f}\""))}]
            scrape_configs:
              - job_name: claudit
                metrics_path: /metrics
                static_configs:
                  - targets: ["{target}"]
            """);
        var port = PrometheusTools.FreePort();
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add($"--config.file={config}");
        info.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(dir, "tsdb")}");
        info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        var process = Process.Start(info) ?? throw new InvalidOperationException("prometheus did not start");
        var server = new PrometheusServer(process, dir, port, target);
        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + PrometheusTools.Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"prometheus exited with code {_process.ExitCode} before it was ready:\n{Log}");
            }

            try
            {
                using var response = await http.GetAsync($"{Address}/-/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }

            await Task.Delay(200);
        }

        Assert.Fail($"prometheus was not ready within {PrometheusTools.Patience.TotalSeconds}s:\n{Log}");
    }

    /// <summary><c>promtool query instant -o json</c> against this server.</summary>
    public async Task<List<PromSample>> QueryAsync(string expr)
    {
        var (code, stdout, stderr) = await PrometheusTools.RunAsync("promtool", "query", "instant", "-o", "json", Address, expr);
        if (code != 0)
        {
            throw new InvalidOperationException($"promtool query instant '{expr}' failed ({code}): {stderr}{stdout}");
        }

        return PrometheusTools.ParseQueryJson(stdout);
    }

    /// <summary>
    /// Queries until <paramref name="accept"/> holds (scrapes come every second; this waits up to a
    /// generous deadline), and fails with the last answer and Prometheus's log if it never does.
    /// </summary>
    public async Task<List<PromSample>> WaitForAsync(string expr, Func<List<PromSample>, bool> accept, string expectation)
    {
        var deadline = DateTime.UtcNow + PrometheusTools.Patience;
        List<PromSample> last = [];
        string? error = null;
        while (true)
        {
            try
            {
                last = await QueryAsync(expr);
                error = null;
                if (accept(last))
                {
                    return last;
                }
            }
            catch (InvalidOperationException ex)
            {
                error = ex.Message;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var answer = error ?? (last.Count == 0 ? "(empty)" : string.Join("\n", last));
                Assert.Fail($"{expectation}: `{expr}` never did within {PrometheusTools.Patience.TotalSeconds}s. Last answer:\n{answer}\n"
                    + $"targets:\n{await TryGetAsync($"{Address}/api/v1/targets")}\nthe target's /metrics now:\n{await TryGetAsync($"http://{Target}/metrics")}\nprometheus log:\n{Log}");
            }

            await Task.Delay(500);
        }
    }

    private static async Task<string> TryGetAsync(string url)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            return await http.GetStringAsync(url);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return $"({url}: {ex.Message})";
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
                // the TSDB may still be closing; a temp directory left behind is harmless
            }
        }
    }
}
