using static Claudit.Store.ClickHouse.ClickHouseText;

namespace Claudit.Store.ClickHouse;

/// <summary>
/// The ClickHouse schema's migrations: the scripts of <c>deploy/clickhouse/NNN-name.sql</c> (embedded), applied
/// in order, each once, recorded in <c>schema_version</c>, then for 004 the rollup's feed and backfill
/// (<see cref="ClickHouseRollup.CreateFeedAsync"/>). Every statement is idempotent (<c>IF NOT EXISTS</c>, a backfill only into an empty rollup), so
/// two gateways starting together, or a start that failed half-way, apply them again harmlessly. A database
/// that recorded a version this build has no script for comes from a newer Claudit and is refused.
/// </summary>
internal static class ClickHouseSchema
{
    private const string Prefix = "Claudit.Store.ClickHouse.Schema.";

    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = Load();

    public static async Task ApplyAsync(ClickHouseHttp http, ClickHouseLocation location, CancellationToken cancellationToken)
    {
        await http.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {location.Database}", cancellationToken, inDatabase: false).ConfigureAwait(false);
        await http.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version Int32, applied_at DateTime) ENGINE = MergeTree ORDER BY version", cancellationToken).ConfigureAwait(false);
        var applied = (await http.RowsAsync("SELECT DISTINCT version FROM schema_version", cancellationToken).ConfigureAwait(false))
            .Select(r => (int)Long(r[0])).ToHashSet();
        var newest = Scripts.Max(s => s.Version);
        if (applied.Count > 0 && applied.Max() > newest)
        {
            throw new StoreException($"the ClickHouse database {location} has schema version {applied.Max()}, newer than this Claudit knows ({newest}): upgrade Claudit");
        }

        foreach (var (version, _, sql) in Scripts.Where(s => !applied.Contains(s.Version)))
        {
            foreach (var statement in Statements(sql))
            {
                await http.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            }

            if (version == ClickHouseRollup.SchemaVersion)
            {
                // The rollup's feed is its readers' own SELECT, so it is written in C#, not in the script.
                await ClickHouseRollup.CreateFeedAsync(http, cancellationToken).ConfigureAwait(false);
            }

            await http.ExecuteAsync($"INSERT INTO schema_version VALUES ({version}, now())", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The statements of a script: comments dropped, split at lines ending in <c>;</c>.</summary>
    public static IEnumerable<string> Statements(string sql)
    {
        var current = new List<string>();
        foreach (var raw in sql.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("--", StringComparison.Ordinal) || line.Length == 0)
            {
                continue;
            }

            if (line.EndsWith(';'))
            {
                current.Add(line[..^1]);
                yield return string.Join('\n', current);
                current.Clear();
            }
            else
            {
                current.Add(line);
            }
        }

        if (current.Count > 0)
        {
            yield return string.Join('\n', current);
        }
    }

    private static List<(int, string, string)> Load()
    {
        var assembly = typeof(ClickHouseSchema).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                var name = n[Prefix.Length..];
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (int.Parse(name[..3], System.Globalization.CultureInfo.InvariantCulture), name, reader.ReadToEnd());
            })];
    }
}
