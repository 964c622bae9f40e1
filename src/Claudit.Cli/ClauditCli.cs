using System.CommandLine;
using Claudit.Cli.Commands;
using Claudit.Core.Pricing;

namespace Claudit.Cli;

/// <summary>The <c>claudit</c> command line.</summary>
public static class ClauditCli
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadInput = 2;

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Claudit: observability for applications that call Anthropic's Claude API.")
        {
            ReportCommand.Create(console),
            PriceCommand.Create(console),
            MockCommand.Create(console),
        };

        var parse = root.Parse(args);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            await console.Error.WriteLineAsync($"claudit: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (PriceTableException ex)
        {
            await console.Error.WriteLineAsync($"claudit: price table: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
    }
}
