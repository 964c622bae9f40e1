using System.CommandLine;
using Claudit.Cli.Output;
using Claudit.Core.Pricing;
using Claudit.Core.Reporting;
using Claudit.Journal;
using Claudit.Store;
using Claudit.Store.DuckDb;
using Spectre.Console;

namespace Claudit.Cli.Commands;

/// <summary>
/// <c>claudit report FILE...</c> or <c>claudit report --data-dir DIR</c>: calls, errors, cost, tokens, cache,
/// latency and more, from JSONL files or from the store.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliConsole console)
    {
        var files = new Argument<string[]>("files")
        {
            Description = "JSONL files or directories of them (Claudit's record format or tracer.py's); '-' reads standard input.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var dataDir = DataDirOption.Create("Report from the store in this directory (read-only) instead of from FILES.", defaultToCurrent: false);
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format.",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json", "csv", "markdown");
        var by = new Option<string>("--by")
        {
            Description = "Group the per-group table by this dimension.",
            DefaultValueFactory = _ => "model",
        };
        by.AcceptOnlyFromAmong("model", "feature", "user", "tenant", "session", "day", "endpoint");
        var top = new Option<int>("--top") { Description = "How many of the most expensive calls to list.", DefaultValueFactory = _ => 10 };
        var cost = new Option<string?>("--cost")
        {
            Description = "recorded: the cost each record carries, priced when it was captured (the default); recomputed: re-price every call from its tokens with the price table (the default when --prices is given).",
        };
        cost.AcceptOnlyFromAmong("recomputed", "recorded");
        var since = new Option<string?>("--since") { Description = "Only calls at or after this time (ISO 8601, or an age like 24h, 7d).", HelpName = "TIME" };
        var until = new Option<string?>("--until") { Description = "Only calls before this time (ISO 8601, or an age).", HelpName = "TIME" };
        var model = new Option<string?>("--model") { Description = "Only calls whose model (used or requested) starts with this.", HelpName = "MODEL" };
        var feature = new Option<string?>("--feature") { Description = "Only calls with this feature tag.", HelpName = "NAME" };
        var user = new Option<string?>("--user") { Description = "Only calls with this user tag.", HelpName = "ID" };
        var endpoint = new Option<string?>("--endpoint")
        {
            Description = "Which endpoints the figures cover: billable (the default: messages and batch results), all, or one kind (messages, batch_result, count_tokens, batches, models, files, other). The others are listed in their own table.",
            HelpName = "KIND",
        };
        var prices = PriceTableOption.Create();
        var server = new Option<string?>("--server") { Description = "Ask a running `claudit serve` at this URL (its store and its price table) instead of reading FILES.", HelpName = "URL" };
        var token = new Option<string?>("--token") { Description = "The server's access token, if it has one (default: $CLAUDIT_TOKEN)." };
        var store = StoreOption.Create("Report from");

        var command = new Command("report", "Summarise call records: calls, errors, cost, tokens, cache hit rate, latency, stop reasons, groups.")
        {
            files, dataDir, store, server, token, format, by, top, cost, since, until, model, feature, user, endpoint, prices,
        };

        command.SetAction(async (parse, ct) =>
        {
            var topN = parse.GetValue(top);
            if (topN < 0)
            {
                throw new CliException("--top must be 0 or more.");
            }

            if (!EndpointScope.TryParse(parse.GetValue(endpoint), out var endpointScope))
            {
                throw new CliException($"--endpoint must be one of {EndpointScope.Choices}, not '{parse.GetValue(endpoint)}'.");
            }

            var now = DateTimeOffset.UtcNow;
            var options = new ReportOptions
            {
                GroupBy = Enum.Parse<GroupBy>(parse.GetValue(by)!, ignoreCase: true),
                TopN = topN,
                // Naming a price table is asking to price with it; otherwise the cost is the one recorded.
                CostMode = (parse.GetValue(cost) ?? (parse.GetValue(prices) is null ? "recorded" : "recomputed")) == "recorded" ? CostMode.Recorded : CostMode.Recomputed,
                Filter = new RecordFilter
                {
                    Since = TimeArgument.Parse(parse.GetValue(since), "--since", now),
                    Until = TimeArgument.Parse(parse.GetValue(until), "--until", now),
                    Model = parse.GetValue(model),
                    Feature = parse.GetValue(feature),
                    User = parse.GetValue(user),
                    Endpoint = endpointScope,
                },
            };
            var paths = parse.GetValue(files) ?? [];
            var storeDir = parse.GetValue(dataDir);
            var serverUrl = parse.GetValue(server);
            var storeUrl = parse.GetValue(store);
            if ((paths.Length > 0 ? 1 : 0) + (storeDir is null ? 0 : 1) + (serverUrl is null ? 0 : 1) + (storeUrl is null ? 0 : 1) > 1)
            {
                throw new CliException("give one of FILES, --data-dir, --store or --server.");
            }

            if (serverUrl is not null)
            {
                if (parse.GetValue(prices) is not null)
                {
                    throw new CliException("--prices does not apply with --server: the server prices with its own table (--cost recomputed re-prices with it).");
                }

                var fromServer = await ReportClient.FetchAsync(serverUrl, parse.GetValue(token) ?? console.Environment("CLAUDIT_TOKEN"), options, ct).ConfigureAwait(false);
                ReportRenderer.Render(fromServer, parse.GetValue(format)!, console);
                return ClauditCli.Ok;
            }

            var calculator = new CostCalculator(PriceTableOption.Load(parse.GetValue(prices)));
            if (storeDir is not null || storeUrl is not null)
            {
                await using var stored = storeUrl is null
                    ? (IClauditStore)DuckDbCallStore.Open(Path.Combine(storeDir!, DuckDbCallStore.FileName), readOnly: true)
                    : await StoreOption.OpenAsync(storeUrl, ct).ConfigureAwait(false);
                ReportRenderer.Render(await stored.QueryReportAsync(options, calculator, ct).ConfigureAwait(false), parse.GetValue(format)!, console);
                return ClauditCli.Ok;
            }

            if (paths.Length == 0)
            {
                throw new CliException("give the JSONL FILES to report on, --data-dir DIR for a store, or --server URL for a running gateway.");
            }

            var inputs = ResolveInputs(paths, console);

            var stats = new ReadStats();
            var report = await BuildAsync(inputs, options, calculator, stats, console, ct).ConfigureAwait(false);
            foreach (var problem in stats.FirstProblems)
            {
                await console.Error.WriteLineAsync($"claudit: skipped {problem}").ConfigureAwait(false);
            }

            if (stats.SkippedLines > stats.FirstProblems.Count)
            {
                await console.Error.WriteLineAsync($"claudit: skipped {stats.SkippedLines} lines in all that were not call records").ConfigureAwait(false);
            }

            ReportRenderer.Render(report, parse.GetValue(format)!, console);
            return ClauditCli.Ok;
        });
        return command;
    }

    internal static async Task<Report> BuildAsync(IReadOnlyList<(string Name, Func<Stream> Open, long Length)> inputs, ReportOptions options,
        CostCalculator calculator, ReadStats stats, CliConsole console, CancellationToken ct)
    {
        var total = inputs.Sum(i => i.Length);
        IReadOnlyList<ReportAccumulator> parts;
        if (console.Interactive && total > 64L * 1024 * 1024)
        {
            parts = await AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) })
                .Progress()
                .AutoClear(true)
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("Reading records", maxValue: total);
                    var progress = new Progress<long>(bytes => task.Value = bytes);
                    return await Scan(progress).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        else
        {
            parts = await Scan(null).ConfigureAwait(false);
        }

        var merged = parts[0];
        for (var i = 1; i < parts.Count; i++)
        {
            merged.Merge(parts[i]);
        }

        merged.Skipped(stats.SkippedLines);
        return merged.Build();

        Task<IReadOnlyList<ReportAccumulator>> Scan(IProgress<long>? progress) =>
            ParallelJsonlScanner.ScanReportAsync(inputs.Select(i => (i.Name, i.Open)), options, calculator, stats, progress: progress, cancellationToken: ct);
    }

    /// <summary>Files, directories of <c>*.jsonl</c> and <c>-</c> (standard input) as named, openable inputs; missing ones are bad input.</summary>
    internal static List<(string Name, Func<Stream> Open, long Length)> ResolveInputs(string[] paths, CliConsole console)
    {
        var inputs = new List<(string, Func<Stream>, long)>();
        foreach (var path in paths)
        {
            if (path == "-")
            {
                inputs.Add(("stdin", console.OpenInput, 0));
                continue;
            }

            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new CliException($"'{path}' does not exist.");
            }

            IReadOnlyList<string> expanded;
            try
            {
                expanded = JsonlFiles.Expand([path]);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read the directory '{path}': {ex.Message}", ex);
            }

            if (expanded.Count == 0)
            {
                throw new CliException($"the directory '{path}' holds no *.jsonl files.");
            }

            foreach (var file in expanded)
            {
                inputs.Add((file, () => OpenOrExplain(file), new FileInfo(file).Length));
            }
        }

        return inputs;
    }

    private static Stream OpenOrExplain(string file)
    {
        try
        {
            return JsonlFiles.OpenRead(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read '{file}': {ex.Message}", ex);
        }
    }
}
