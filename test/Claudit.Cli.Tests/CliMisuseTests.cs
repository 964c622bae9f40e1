using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Claudit.Cli.Tests;

/// <summary>
/// Misuse that only a real process shows as the user sees it (issue 11, item 12): a port in use, a
/// directory that cannot be read, a directory given for a file. One line on stderr, exit 2, no stack trace.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class CliMisuseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("serve")]
    [InlineData("mock")]
    public async Task A_port_in_use_is_one_line_and_exit_2(string command)
    {
        using var dir = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        string[] args = command == "serve" ? ["serve", "--port", port, "--data-dir", dir.File("data")] : ["mock", "--port", port];

        var result = await ClauditProcess.RunAsync(args, Timeout);

        Cli.AssertBadInput(result, $"cannot listen on 127.0.0.1:{port}");
        Assert.Contains("already in use", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_directory_that_cannot_be_read_is_one_line_and_exit_2()
    {
        using var dir = new TempDirectory();
        var locked = Directory.CreateDirectory(dir.File("locked")).FullName;
        File.WriteAllText(Path.Combine(locked, "calls.jsonl"), "");
        File.SetUnixFileMode(locked, UnixFileMode.None);
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            // Root reads any directory: the run is then made as nobody, for whom this one is closed.
            var asUser = Environment.UserName == "root" ? 65534 : (int?)null;

            var result = await ClauditProcess.RunAsync(["report", locked], Timeout, asUser);

            Cli.AssertBadInput(result, $"cannot read the directory '{locked}'");
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
