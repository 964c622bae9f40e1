using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Claudit.Cli.Tests;

/// <summary>
/// The built <c>claudit</c> (<c>src/Claudit.Cli</c>'s dll, run by <c>dotnet</c>) as a real process: for
/// what an in-process run cannot show — what reaches the process's own stderr (a host's log), a kill -9,
/// a SIGTERM, a run as another user.
/// </summary>
internal sealed class ClauditProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();

    private ClauditProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The dll the build of this test produced next to it (same configuration).</summary>
    public static string Dll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<configuration>/net10.0/
            var dll = Path.Combine(RepoFiles.Root, "src", "Claudit.Cli", "bin", configuration, "net10.0", "claudit.dll");
            Assert.True(File.Exists(dll), $"{dll} is not built: build src/Claudit.Cli (building this test project does)");
            return dll;
        }
    }

    public int Id => _process.Id;

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public string Out
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    /// <summary>Starts <c>claudit ARGS</c>; with <paramref name="asUser"/> (a uid, when this process is root), as that user.</summary>
    public static ClauditProcess Start(IEnumerable<string> args, int? asUser = null)
    {
        var start = new ProcessStartInfo(asUser is null ? "dotnet" : "setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asUser is { } uid)
        {
            foreach (var a in new[] { $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "dotnet" })
            {
                start.ArgumentList.Add(a);
            }

            start.Environment["HOME"] = Path.GetTempPath();
            start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }

        start.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new ClauditProcess(Process.Start(start)!);
    }

    /// <summary>Runs <c>claudit ARGS</c> to its end (at most <paramref name="timeout"/>).</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, TimeSpan timeout, int? asUser = null)
    {
        await using var process = Start(args, asUser);
        var code = await process.WaitForExitAsync(timeout);
        return new CliResult(code, process.Out, process.Error);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // the redirected streams are read to their end
        return _process.ExitCode;
    }

    /// <summary>kill -9: the process ends at once, with whatever it held in memory.</summary>
    public void Kill() => _process.Kill();

    /// <summary>kill -TERM: the process is asked to stop.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until the server <paramref name="http"/> points at answers <paramref name="path"/> with 200.</summary>
    public async Task WaitForAsync(HttpClient http, string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"claudit exited with {(_process.HasExited ? _process.ExitCode : 0)}: {Error}");
            try
            {
                using var response = await http.GetAsync(path);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{path} did not answer 200 within {timeout}: {Error}");
    }

    private static void Append(StringBuilder to, string? line)
    {
        if (line is not null)
        {
            lock (to)
            {
                to.Append(line).Append('\n');
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
