using System.CommandLine;
using Claudit.Alerts;
using Claudit.Alerts.Rules;
using Claudit.Cli.Output;
using Claudit.Store;
using Claudit.Store.DuckDb;

namespace Claudit.Cli.Commands;

/// <summary>
/// <c>claudit alerts backtest --rules FILE --data-dir DIR [--since] [--until] [--format table|json]</c>:
/// replays the store's history through the gateway's own alert evaluator and prints when each rule would
/// have fired and resolved, so thresholds can be tuned on real traffic before they page anyone.
/// </summary>
internal static class AlertsCommand
{
    public static Command Create(CliConsole console)
    {
        var rules = new Option<string>("--rules") { Description = "The rules file to try (the format of claudit serve --alerts; docs/alerts.md).", HelpName = "FILE", Required = true };
        var dataDir = DataDirOption.Create($"The data directory whose store (claudit.duckdb) holds the history (default: {DataDirOption.Default}).", defaultToCurrent: true);
        var since = new Option<string?>("--since") { Description = "Start of the replay: ISO 8601 or an age (7d, 24h); default 24h before --until.", HelpName = "TIME" };
        var until = new Option<string?>("--until") { Description = "End of the replay: ISO 8601 or an age; default now.", HelpName = "TIME" };
        var budget = new Option<string?>("--daily-budget") { Description = "The daily budget in USD the budget rules compare with, as claudit serve --daily-budget.", HelpName = "USD" };
        var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var storeUrl = StoreOption.Create("Replay the history of");

        var backtest = new Command("backtest", "Replay stored calls through the alert rules and print when each would have fired and resolved.")
        {
            rules, dataDir, storeUrl, since, until, budget, format,
        };
        backtest.SetAction(async (parse, ct) =>
        {
            AlertsConfig config;
            try
            {
                config = AlertsFile.Load(parse.GetValue(rules)!);
            }
            catch (AlertsFileException ex)
            {
                throw new CliException(ex.Message, ex);
            }

            var now = DateTimeOffset.UtcNow;
            var to = TimeArgument.Parse(parse.GetValue(until), "--until", now) ?? now;
            var from = TimeArgument.Parse(parse.GetValue(since), "--since", now) ?? to.AddDays(-1);
            if (from >= to)
            {
                throw new CliException("--since must be before --until.");
            }

            decimal? daily = null;
            if (parse.GetValue(budget) is { } budgetText)
            {
                daily = decimal.TryParse(budgetText, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var usd) && usd > 0
                    ? usd
                    : throw new CliException($"--daily-budget must be a positive amount in USD, like 25 or 7.50, not '{budgetText}'.");
            }

            var directory = parse.GetValue(dataDir)!;
            await using IClauditStore store = parse.GetValue(storeUrl) is { } url ? await StoreOption.OpenAsync(url, ct).ConfigureAwait(false) : OpenStore(directory);
            var result = await AlertBacktest.RunAsync(config, store, from, to, daily, ct).ConfigureAwait(false);
            BacktestRenderer.Render(result, parse.GetValue(format)!, console);
            return ClauditCli.Ok;
        });

        return new Command("alerts", "Alert rules: try them on stored history.") { backtest };
    }

    private static DuckDbCallStore OpenStore(string directory)
    {
        var path = Path.Combine(directory, DuckDbCallStore.FileName);
        try
        {
            return DuckDbCallStore.Open(path, readOnly: true);
        }
        catch (StoreException ex) when (ex.Message.Contains("in use by another process", StringComparison.Ordinal))
        {
            throw new StoreException($"the store {path} is in use by a running claudit serve: stop it, or backtest a copy made from its journal (claudit import {Path.Combine(directory, "journal")} --data-dir COPY)", ex);
        }
    }
}
