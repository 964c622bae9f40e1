using System.CommandLine;
using Claudit.Store;
using Claudit.Store.ClickHouse;

namespace Claudit.Cli;

/// <summary>
/// <c>--store URL</c>: a shared ClickHouse store (<c>clickhouse://USER:PASS@HOST:8123/DB</c>, docs/scale-out.md)
/// instead of the DuckDB file of a data directory, for <c>report</c>, <c>import</c> and <c>alerts backtest</c>.
/// </summary>
internal static class StoreOption
{
    public const string Name = "--store";

    public static Option<string?> Create(string what) =>
        new(Name) { Description = $"{what} a ClickHouse store, clickhouse://USER:PASS@HOST:8123/DB (docs/scale-out.md), instead of a data directory.", HelpName = "URL" };

    /// <summary>The ClickHouse store the URL names; one line on stderr (exit 2) when it names none.</summary>
    public static async Task<ClickHouseCallStore> OpenAsync(string url, CancellationToken cancellationToken)
    {
        if (!ClickHouseLocation.Names(url))
        {
            throw new CliException($"{Name} must be a clickhouse://USER:PASS@HOST:8123/DB URL (a DuckDB store is named with --data-dir).");
        }

        ClickHouseLocation location;
        try
        {
            location = ClickHouseLocation.Parse(url);
        }
        catch (StoreException ex)
        {
            throw new CliException($"{Name}: {ex.Message}", ex);
        }

        // The CLI records no journal positions: its writer name only labels what it would write.
        return await ClickHouseCallStore.OpenAsync(location, "claudit-cli", cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
