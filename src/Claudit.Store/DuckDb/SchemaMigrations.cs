using System.Globalization;
using Claudit.Core.Records;
using DuckDB.NET.Data;

namespace Claudit.Store.DuckDb;

/// <summary>
/// The schema by version: embedded <c>Schema/NNN-name.sql</c> scripts, each applied once, in order, in
/// its own transaction, and recorded in <c>schema_version</c>. A new column or table is a new script;
/// a script already shipped is never edited (stores in the field have run it). A derived column that a
/// script adds is filled for the rows already stored by a C# backfill of the same version, so that the
/// rule deriving it stays in one place, the record's.
/// <para>
/// Scripts written side by side take a letter after a shared number (<c>003a-…</c>, <c>003b-…</c>): they
/// run after <c>003-…</c> and before <c>004-…</c>, in the order of their names, and are recorded as
/// 1000 × number + letter (<c>003b</c> is 3002), so that no two scripts share a recorded version. A
/// store records every script it has run; a script is applied when its version is not recorded yet,
/// whatever higher versions are, because lettered scripts may be merged after a later plain one ran.
/// </para>
/// </summary>
internal static class SchemaMigrations
{
    private const string Prefix = "Claudit.Store.DuckDb.Schema.";

    private static readonly Lazy<Script[]> s_scripts = new(() =>
        typeof(SchemaMigrations).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                using var stream = typeof(SchemaMigrations).Assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                var name = n[Prefix.Length..^".sql".Length];
                return new Script(VersionOf(name), name, reader.ReadToEnd());
            })
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToArray());

    private static readonly Dictionary<int, Action<DuckDBConnection>> s_backfills = new()
    {
        [2] = BackfillDerivedColumns, [5] = BackfillEndpointKinds,
        // The rollups of 008 and 015 are rolled up by 016's backfill, into the tables 016 splits them into.
        [11] = connection => InChunks(connection, source => HistogramSql.Add(connection, null, source)),
        [15] = connection => InChunks(connection, source => CostPeakSql.Add(connection, null, source)),
        [16] = connection => RollupSql.RollUpWhereEmpty(connection, add => InChunks(connection, add)),
    };

    /// <summary>Rows of <c>calls</c> a rollup backfill aggregates at once: all ten million at once outgrow the store's memory limit.</summary>
    internal static long ChunkRows { get; set; } = 500_000;

    /// <summary>
    /// Runs an additive backfill (its rows are summed into what is there) over <c>calls</c> in consecutive
    /// whole hours of at most about <see cref="ChunkRows"/> rows each, handing it each as a table source.
    /// </summary>
    private static void InChunks(DuckDBConnection connection, Action<string> add)
    {
        var hours = new List<(long Hour, long Rows)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT epoch_us(start_time) // 3600000000 AS h, count(*) FROM calls GROUP BY h ORDER BY h";
            using var d = command.ExecuteReader();
            while (d.Read())
            {
                hours.Add((d.GetInt64(0), d.GetInt64(1)));
            }
        }

        var (start, rows) = (0, 0L);
        for (var i = 0; i <= hours.Count; i++)
        {
            if (i == hours.Count || (rows > 0 && rows + hours[i].Rows > ChunkRows))
            {
                if (rows > 0)
                {
                    var (from, to) = (hours[start].Hour * 3_600_000_000, (hours[i - 1].Hour + 1) * 3_600_000_000);
                    add($"(SELECT * FROM calls WHERE start_time >= make_timestamptz({from}) AND start_time < make_timestamptz({to}))");
                }

                (start, rows) = (i, 0);
            }

            if (i < hours.Count)
            {
                rows += hours[i].Rows;
            }
        }
    }

    /// <summary>The highest version this build records (a lettered script's, 1000 × number + letter, may be it).</summary>
    public static int Latest => s_scripts.Value.Max(s => s.Version);

    /// <summary>Every version this build records, in the order it applies them.</summary>
    public static IReadOnlyList<int> Versions => [.. s_scripts.Value.Select(s => s.Version)];

    /// <summary><c>NNN-name</c> is NNN; <c>NNNx-name</c> is 1000 × NNN + the letter's place (a = 1).</summary>
    internal static int VersionOf(string scriptName)
    {
        var number = int.Parse(scriptName.AsSpan(0, 3), CultureInfo.InvariantCulture);
        var letter = scriptName.Length > 3 ? scriptName[3] : '-';
        return letter is >= 'a' and <= 'z' ? (1000 * number) + (letter - 'a' + 1) : number;
    }

    /// <summary>The file's schema version (the highest recorded); 0 when it has none yet (a new file).</summary>
    public static int CurrentVersion(DuckDBConnection connection) => Applied(connection).DefaultIfEmpty(0).Max();

    /// <summary>The versions the file has recorded; none for a new file.</summary>
    public static HashSet<int> Applied(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_version' AND schema_name = 'main'";
        var applied = new HashSet<int>();
        if ((long)command.ExecuteScalar()! == 0)
        {
            return applied;
        }

        command.CommandText = "SELECT version FROM schema_version";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            applied.Add(reader.GetInt32(0));
        }

        return applied;
    }

    /// <summary>Runs every script the file has not recorded yet.</summary>
    public static void Apply(DuckDBConnection connection, string path)
    {
        var applied = Applied(connection);
        CheckKnown(applied, path);
        foreach (var script in s_scripts.Value.Where(s => !applied.Contains(s.Version)))
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)";
            command.ExecuteNonQuery();
            command.CommandText = script.Sql;
            command.ExecuteNonQuery();
            if (s_backfills.TryGetValue(script.Version, out var backfill))
            {
                backfill(connection);
            }

            command.CommandText = $"INSERT INTO schema_version (version) VALUES ({script.Version})";
            command.ExecuteNonQuery();
            transaction.Commit();
        }

        // Written to the file now, not left in the WAL: DuckDB fails to replay an `ALTER … TYPE … USING` from its WAL
        // ("GetDefaultDatabase with no default database set"), so a gateway killed before its first checkpoint
        // could not open its store again.
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "CHECKPOINT";
        checkpoint.ExecuteNonQuery();
    }

    /// <summary>A read-only store cannot be migrated: it must already have run every script of this build.</summary>
    public static void Check(DuckDBConnection connection, string path)
    {
        var applied = Applied(connection);
        CheckKnown(applied, path);
        if (s_scripts.Value.FirstOrDefault(s => !applied.Contains(s.Version)) is { } missing)
        {
            throw new StoreException($"the store {path} has schema version {applied.DefaultIfEmpty(0).Max()} without {missing.Name}, which this claudit needs: open it once for writing (e.g. `claudit import`) to upgrade it");
        }
    }

    /// <summary>A version this build has no script for was written by a newer claudit.</summary>
    private static void CheckKnown(HashSet<int> applied, string path)
    {
        var known = s_scripts.Value.Select(s => s.Version).ToHashSet();
        if (applied.Where(v => !known.Contains(v)).Order().LastOrDefault() is var unknown and > 0)
        {
            throw new StoreException($"the store {path} was written by a newer claudit (schema version {unknown}, this one knows up to {Latest}): upgrade claudit");
        }
    }

    private sealed record Script(int Version, string Name, string Sql);

    /// <summary>Version 5's endpoint kind for rows stored before it: the record's own rule over each distinct endpoint path.</summary>
    private static void BackfillEndpointKinds(DuckDBConnection connection)
    {
        var paths = new List<string>();
        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT DISTINCT endpoint FROM calls WHERE endpoint_kind IS NULL";
            using var d = select.ExecuteReader();
            while (d.Read())
            {
                paths.Add(d.GetString(0));
            }
        }

        foreach (var path in paths)
        {
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE calls SET endpoint_kind = $kind WHERE endpoint = $path AND endpoint_kind IS NULL";
            update.Parameters.Add(new DuckDBParameter("kind", EndpointKinds.Classify(null, path)));
            update.Parameters.Add(new DuckDBParameter("path", path));
            update.ExecuteNonQuery();
        }
    }

    /// <summary>Version 2's columns for rows stored before it, by the record's own rules: the 5m/1h split of cache writes and the session key.</summary>
    private static void BackfillDerivedColumns(DuckDBConnection connection)
    {
        var rows = new List<(Guid Id, long? W5m, long? W1h, string? Session)>();
        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT id, input_tokens IS NOT NULL, coalesce(cache_creation_tokens, 0), cache_write_5m_tokens, cache_write_1h_tokens, tag_session, tag_conversation FROM calls";
            using var d = select.ExecuteReader();
            while (d.Read())
            {
                var usage = d.GetBoolean(1)
                    ? new TokenUsage { CacheCreationInputTokens = d.GetInt64(2), CacheCreation5mInputTokens = StoreSql.Long(d, 3), CacheCreation1hInputTokens = StoreSql.Long(d, 4) }
                    : null;
                var tags = new CallTags { Session = StoreSql.Str(d, 5), Conversation = StoreSql.Str(d, 6) };
                rows.Add((d.GetGuid(0), usage?.EffectiveCacheWrite5m, usage?.EffectiveCacheWrite1h, tags.SessionKey));
            }
        }

        if (rows.Count == 0)
        {
            return;
        }

        StoreSql.Execute(connection, "CREATE TEMP TABLE derived_backfill (id UUID, w5m BIGINT, w1h BIGINT, session_key VARCHAR)");
        using (var appender = connection.CreateAppender("temp", "main", "derived_backfill"))
        {
            foreach (var (id, w5m, w1h, session) in rows)
            {
                appender.CreateRow().AppendValue(id).AppendValue(w5m).AppendValue(w1h).AppendValue(session).EndRow();
            }
        }

        StoreSql.Execute(connection, "UPDATE calls SET cache_write_5m_billed = b.w5m, cache_write_1h_billed = b.w1h, session_key = b.session_key FROM derived_backfill b WHERE calls.id = b.id");
        StoreSql.Execute(connection, "DROP TABLE derived_backfill");
    }
}
