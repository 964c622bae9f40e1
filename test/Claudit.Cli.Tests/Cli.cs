using System.Globalization;
using System.Text;

namespace Claudit.Cli.Tests;

internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>The non-empty lines written to standard error.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Runs <c>claudit</c> in-process with in-memory standard streams.</summary>
internal static class Cli
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    public static Task<CliResult> RunAsync(string[] args, string? stdin) => RunAsync(args, stdin, environment: null);

    /// <summary>Runs with these environment variables instead of the process's (which tests share).</summary>
    public static Task<CliResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(args, stdin: null, environment);

    private static async Task<CliResult> RunAsync(string[] args, string? stdin, IReadOnlyDictionary<string, string>? environment)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var input = Encoding.UTF8.GetBytes(stdin ?? "");
        var code = await ClauditCli.RunAsync(args, new CliConsole(output, error, () => new MemoryStream(input), environment: environment is null ? null : name => environment.GetValueOrDefault(name)));
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>A bad input: exit 2, nothing on standard output, and one clear line on standard error, never a stack trace.</summary>
    public static void AssertBadInput(CliResult result, string expectedInMessage)
    {
        Assert.True(result.ExitCode == ClauditCli.BadInput, $"exit {result.ExitCode}, stderr: {result.Error}");
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("claudit: ", line, StringComparison.Ordinal);
        Assert.Contains(expectedInMessage, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
    }
}
