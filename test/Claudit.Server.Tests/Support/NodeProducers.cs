using System.Diagnostics;

namespace Claudit.Server.Tests.Support;

/// <summary>
/// The npm producers in test/js (the official TypeScript SDK, OpenLLMetry's and OpenInference's Anthropic
/// instrumentations, the OTel JS SDK's OTLP exporters), installed once per test run with <c>npm ci</c> from
/// the pinned package-lock.json, and run as <c>node</c> scripts.
/// </summary>
internal static class NodeProducers
{
    private static readonly SemaphoreSlim s_install = new(1, 1);
    private static bool s_installed;

    public static string Directory => Path.Combine(RepoFiles.Root, "test", "js");

    /// <summary>Runs <c>npm ci</c> unless test/js/node_modules already matches package-lock.json; fails with what to install when npm is missing.</summary>
    public static async Task EnsureInstalledAsync()
    {
        await s_install.WaitAsync();
        try
        {
            var marker = Path.Combine(Directory, "node_modules", ".package-lock.json");
            if (s_installed || (File.Exists(marker) && File.GetLastWriteTimeUtc(marker) >= File.GetLastWriteTimeUtc(Path.Combine(Directory, "package-lock.json"))))
            {
                s_installed = true;
                return;
            }

            var (code, output, error) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], new Dictionary<string, string>(), TimeSpan.FromMinutes(8));
            if (code != 0)
            {
                throw new InvalidOperationException($"npm ci in {Directory} failed ({code}):\n{output}\n{error}");
            }

            s_installed = true;
        }
        finally
        {
            s_install.Release();
        }
    }

    /// <summary>Runs a script of test/js with node; the stdout line that is a JSON object is its result.</summary>
    public static async Task<string> RunScriptAsync(string script, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        await EnsureInstalledAsync();
        var (code, output, error) = await RunAsync("node", [script, .. arguments], environment, timeout ?? TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"node {script} {string.Join(' ', arguments)} exited {code}:\n{error}\n{output}");
        return output.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith('{'));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"'{program}' is not installed: these tests drive npm packages with Node.js 20+ (Debian: apt-get install nodejs npm; .ci/run installs them). {ex.Message}", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {timeout}: {await error}");
            }

            return (process.ExitCode, await output, await error);
        }
    }
}
