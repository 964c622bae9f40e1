using System.CommandLine;
using System.CommandLine.Invocation;
using Claudit.Cli.Commands;
using Claudit.Core.Pricing;
using Claudit.Store;

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
            ImportCommand.Create(console),
            PriceCommand.Create(console),
            MockCommand.Create(console),
            ServeCommand.Create(console),
            DemoCommand.Create(console),
            KeysCommand.Create(console),
            AlertsCommand.Create(console),
            ReconcileCommand.Create(console),
        };

        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            // The parser's own report is several lines, the help text and exit 1, which scripts cannot tell
            // from an unpriced model: a bad option is bad input like any other, one line and exit 2.
            var message = string.Join(' ', parse.Errors[0].Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            await console.Error.WriteLineAsync($"claudit: {message} (see --help)").ConfigureAwait(false);
            return BadInput;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            await console.Error.WriteLineAsync($"claudit: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (StoreException ex)
        {
            await console.Error.WriteLineAsync($"claudit: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (PriceTableException ex)
        {
            await console.Error.WriteLineAsync($"claudit: price table: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file or directory the command was given that it cannot use, wherever the command found out:
            // still bad input, one line, never the runtime's abort with a stack trace.
            await console.Error.WriteLineAsync($"claudit: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
    }
}
