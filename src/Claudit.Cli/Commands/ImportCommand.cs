using System.CommandLine;
using Claudit.Core.Records;
using Claudit.Journal;
using Claudit.Store.DuckDb;
using Spectre.Console;

namespace Claudit.Cli.Commands;

/// <summary>
/// <c>claudit import FILE... [--data-dir DIR]</c>: loads JSONL (every format <c>report</c> reads) into the
/// store, in batches. Records already there (same id) are skipped, so importing a journal twice, or a
/// journal that grew since, adds each record once.
/// </summary>
internal static class ImportCommand
{
    /// <summary>Records per transaction: large enough for the appender to stream, small enough to show progress.</summary>
    private const int BatchSize = 20_000;

    public static Command Create(CliConsole console)
    {
        var files = new Argument<string[]>("files")
        {
            Description = "JSONL files or directories of them (Claudit's record format or tracer.py's); '-' reads standard input.",
            Arity = ArgumentArity.OneOrMore,
        };
        var dataDir = DataDirOption.Create($"The directory of the store, created if needed (default: {DataDirOption.Default}).", defaultToCurrent: true);
        var command = new Command("import", "Load call records from JSONL files into the store (claudit.duckdb), skipping records it already holds.")
        {
            files, dataDir,
        };

        command.SetAction(async (parse, ct) =>
        {
            var inputs = ReportCommand.ResolveInputs(parse.GetValue(files)!, console);
            var path = Path.Combine(parse.GetValue(dataDir)!, DuckDbCallStore.FileName);
            await using var store = DuckDbCallStore.Open(path);
            var stats = new ReadStats();
            long imported;
            var total = inputs.Sum(i => i.Length);
            if (console.Interactive && total > 0)
            {
                imported = await AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) })
                    .Progress()
                    .AutoClear(true)
                    .StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask("Importing records", maxValue: total);
                        return await ImportAsync(inputs, store, stats, read => task.Value = read, ct).ConfigureAwait(false);
                    }).ConfigureAwait(false);
            }
            else
            {
                imported = await ImportAsync(inputs, store, stats, null, ct).ConfigureAwait(false);
            }

            foreach (var problem in stats.FirstProblems)
            {
                await console.Error.WriteLineAsync($"claudit: skipped {problem}").ConfigureAwait(false);
            }

            await console.Out.WriteLineAsync(
                $"imported {imported} records ({stats.Records - imported} already present, {stats.SkippedLines} lines skipped) into {store.Path}").ConfigureAwait(false);
            return ClauditCli.Ok;
        });
        return command;
    }

    private static async Task<long> ImportAsync(IReadOnlyList<(string Name, Func<Stream> Open, long Length)> inputs, DuckDbCallStore store,
        ReadStats stats, Action<long>? progress, CancellationToken ct)
    {
        long imported = 0;
        var batch = new List<CallRecord>(BatchSize);
        foreach (var (name, open, _) in inputs)
        {
            await using var stream = open();
            await foreach (var record in JsonlRecordReader.ReadAsync(stream, name, stats, ct).ConfigureAwait(false))
            {
                batch.Add(record);
                if (batch.Count == BatchSize)
                {
                    imported += await Flush().ConfigureAwait(false);
                }
            }
        }

        imported += await Flush().ConfigureAwait(false);
        return imported;

        async Task<int> Flush()
        {
            var n = await store.AppendNewAsync(batch, ct).ConfigureAwait(false);
            batch.Clear();
            progress?.Invoke(stats.BytesRead);
            return n;
        }
    }
}
