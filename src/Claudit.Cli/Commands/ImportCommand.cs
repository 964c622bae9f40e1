using System.CommandLine;
using Claudit.Core.Records;
using Claudit.Journal;
using Claudit.Store;
using Claudit.Store.ClickHouse;
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
        var storeUrl = StoreOption.Create("Load into");
        var command = new Command("import", "Load call records from JSONL files into the store (claudit.duckdb, or ClickHouse with --store), skipping records it already holds.")
        {
            files, dataDir, storeUrl,
        };

        command.SetAction(async (parse, ct) =>
        {
            var inputs = ReportCommand.ResolveInputs(parse.GetValue(files)!, console);
            var directory = parse.GetValue(dataDir)!;
            var url = parse.GetValue(storeUrl);
            var path = Path.Combine(directory, DuckDbCallStore.FileName);
            await using ICallStore store = url is null ? DuckDbCallStore.Open(path) : await StoreOption.OpenAsync(url, ct).ConfigureAwait(false);
            var storeName = url is null ? path : ((ClickHouseCallStore)store).Location.ToString();
            using var deadLetters = new DeadLetters(directory, "import");
            var import = new Import(store, deadLetters);
            var total = inputs.Sum(i => i.Length);
            if (console.Interactive && total > 0)
            {
                await AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) })
                    .Progress()
                    .AutoClear(true)
                    .StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask("Importing records", maxValue: total);
                        await import.RunAsync(inputs, read => task.Value = read, ct).ConfigureAwait(false);
                    }).ConfigureAwait(false);
            }
            else
            {
                await import.RunAsync(inputs, null, ct).ConfigureAwait(false);
            }

            foreach (var problem in import.FirstProblems)
            {
                await console.Error.WriteLineAsync($"claudit: skipped {problem}").ConfigureAwait(false);
            }

            var skipped = import.Skipped == 0 ? "" : $"; the skipped lines are kept in {deadLetters.Directory}";
            await console.Out.WriteLineAsync(
                $"imported {import.Imported} records ({import.Valid - import.Imported} already present, {import.Skipped} lines skipped) into {storeName}{skipped}").ConfigureAwait(false);
            return ClauditCli.Ok;
        });
        return command;
    }

    /// <summary>
    /// One import: every line read with its fate, every record checked by Core's <see cref="RecordValidator"/>
    /// (as ingest checks them), the good ones appended in batches, the rest kept as dead letters with their reason.
    /// </summary>
    private sealed class Import(ICallStore store, DeadLetters deadLetters)
    {
        private readonly List<CallRecord> _batch = new(BatchSize);
        private readonly List<string> _problems = [];

        public long Imported { get; private set; }

        public long Valid { get; private set; }

        public long Skipped { get; private set; }

        public IReadOnlyList<string> FirstProblems => _problems;

        public async Task RunAsync(IReadOnlyList<(string Name, Func<Stream> Open, long Length)> inputs, Action<long>? progress, CancellationToken ct)
        {
            var stats = new ReadStats();
            foreach (var (name, open, _) in inputs)
            {
                // Ids are checked for repeats within one file, as within one ingest batch; across files a repeat is an import done twice.
                var validator = new RecordValidator();
                await using var stream = open();
                await foreach (var entry in JsonlEntryReader.ReadAsync(stream, stats, ct).ConfigureAwait(false))
                {
                    var problem = entry.Problem ?? validator.Check(entry.Record!)?.ToString();
                    if (problem is not null)
                    {
                        Skip($"{name}:{entry.Line}", problem, entry);
                        continue;
                    }

                    Valid++;
                    _batch.Add(entry.Record!);
                    if (_batch.Count == BatchSize)
                    {
                        await FlushAsync(stats, progress, ct).ConfigureAwait(false);
                    }
                }
            }

            await FlushAsync(stats, progress, ct).ConfigureAwait(false);
        }

        private void Skip(string where, string problem, JsonlEntry entry)
        {
            Skipped++;
            if (_problems.Count < 5)
            {
                _problems.Add($"{where}: {problem}");
            }

            if (entry.Record is { } record)
            {
                deadLetters.Write(where, problem, record);
            }
            else
            {
                deadLetters.Write(where, problem, entry.Excerpt.Span, entry.LineBytes);
            }
        }

        private async Task FlushAsync(ReadStats stats, Action<long>? progress, CancellationToken ct)
        {
            Imported += await store.AppendAsync(_batch, ct).ConfigureAwait(false);
            _batch.Clear();
            progress?.Invoke(stats.BytesRead);
        }
    }
}
