using System.CommandLine;
using Claudit.Cli.Output;
using Claudit.Core.Reconcile;
using Claudit.Server.Reconcile;
using Claudit.Store.DuckDb;

namespace Claudit.Cli.Commands;

/// <summary>
/// <c>claudit reconcile</c> (docs/reconcile.md): recorded usage and cost against what Anthropic's Admin usage and
/// cost reports bill, per UTC bucket × model × tier. Exit 0 when every row is within the tolerance, 1 when one is
/// not, 2 for bad input. The Admin key comes from the environment only and is never written anywhere.
/// </summary>
internal static class ReconcileCommand
{
    public const string DefaultKeyVariable = "ANTHROPIC_ADMIN_KEY";

    public static Command Create(CliConsole console)
    {
        var dataDir = DataDirOption.Create("The store to reconcile: the data directory of `claudit serve` (read-only).", defaultToCurrent: false);
        var store = new Option<string?>("--store") { Description = "The store as a URL instead of --data-dir: duckdb:PATH (a claudit.duckdb file).", HelpName = "URL" };
        var since = new Option<string?>("--since") { Description = "Start (ISO 8601 date or time, UTC unless an offset is given, or an age like 7d); rounded up to a whole bucket.", HelpName = "DATE", Required = true };
        var until = new Option<string?>("--until") { Description = "End, exclusive; rounded down to a whole bucket (default: an hour ago, as usage reaches the reports late).", HelpName = "DATE" };
        var baseUrl = new Option<string>("--base-url") { Description = "The Admin API's base URL.", HelpName = "URL", DefaultValueFactory = _ => "https://api.anthropic.com" };
        var keyEnv = new Option<string>("--admin-key-env")
        {
            Description = "The environment variable holding the Admin API key (sk-ant-admin01-…); a key is never taken as a flag.",
            HelpName = "NAME",
            DefaultValueFactory = _ => DefaultKeyVariable,
        };
        var by = new Option<string>("--by") { Description = "Compare per UTC day or per UTC hour.", DefaultValueFactory = _ => "day" };
        by.AcceptOnlyFromAmong("day", "hour");
        var tolerance = new Option<string>("--tolerance") { Description = "How far recorded and billed may differ and still match, per token class and cost (e.g. 0.5%, 0%).", DefaultValueFactory = _ => "0.5%" };
        var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");

        var command = new Command("reconcile", "Compare recorded spend with what Anthropic bills (Admin usage and cost reports), bucket by bucket, model by model.")
        {
            dataDir, store, since, until, baseUrl, keyEnv, by, tolerance, format,
        };

        command.SetAction(async (parse, ct) =>
        {
            if (!ReconcileTolerance.TryParse(parse.GetValue(tolerance), out var tol))
            {
                throw new CliException($"--tolerance must be a share such as 0.5% (0% to 100%), not '{parse.GetValue(tolerance)}'.");
            }

            var width = parse.GetValue(by) == "hour" ? ReconcileWidth.Hour : ReconcileWidth.Day;
            var now = DateTimeOffset.UtcNow;
            var from = TimeArgument.Parse(parse.GetValue(since), "--since", now)!.Value;
            var to = TimeArgument.Parse(parse.GetValue(until), "--until", now) ?? ReconcileBuckets.DefaultUntil(now);
            var (wholeFrom, wholeTo) = ReconcileBuckets.Whole(from, to, width);
            if (wholeTo <= wholeFrom)
            {
                throw new CliException($"--since {ReconcileJson.Time(from)} to {ReconcileJson.Time(to)} holds no whole UTC {parse.GetValue(by)} to reconcile.");
            }

            if (!Uri.TryCreate(parse.GetValue(baseUrl), UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
            {
                throw new CliException($"--base-url must be an http(s) URL, not '{parse.GetValue(baseUrl)}'.");
            }

            var variable = parse.GetValue(keyEnv)!;
            if (console.Environment(variable) is not { Length: > 0 } key)
            {
                throw new CliException($"set the Admin API key in the environment variable {variable} (or name another with --admin-key-env): it is never taken as a flag.");
            }

            var storePath = StorePath(parse.GetValue(dataDir), parse.GetValue(store));
            await using var calls = DuckDbCallStore.Open(storePath, readOnly: true);
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            var admin = new AdminApiClient(http, api, key, TimeSpan.Zero, TimeProvider.System);
            Reconciliation reconciliation;
            try
            {
                reconciliation = await BillingReconciliation.RunAsync(calls, admin, wholeFrom, wholeTo, width, tol, Core.Pricing.PriceTable.Default, ct).ConfigureAwait(false);
            }
            catch (AdminApiException ex)
            {
                throw new CliException(ex.Message, ex);
            }

            ReconcileRenderer.Render(reconciliation, parse.GetValue(format)!, console);
            return reconciliation.AllMatch ? ClauditCli.Ok : ClauditCli.Failure;
        });
        return command;
    }

    /// <summary>The store file from <c>--data-dir DIR</c> or <c>--store duckdb:PATH</c> (exactly one).</summary>
    internal static string StorePath(string? dataDir, string? store)
    {
        if ((dataDir is null) == (store is null))
        {
            throw new CliException("give one of --data-dir DIR or --store URL.");
        }

        if (dataDir is not null)
        {
            return Path.Combine(dataDir, DuckDbCallStore.FileName);
        }

        const string Scheme = "duckdb:";
        if (!store!.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || store.Length == Scheme.Length)
        {
            throw new CliException($"--store must be duckdb:PATH (the DuckDB store file), not '{store.Split("://")[0]}…'.");
        }

        var path = store[Scheme.Length..];
        return path.StartsWith("//", StringComparison.Ordinal) ? path[2..] : path;
    }
}
