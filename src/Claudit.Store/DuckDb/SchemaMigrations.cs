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
/// </summary>
internal static class SchemaMigrations
{
    private const string Prefix = "Claudit.Store.DuckDb.Schema.";

    private static readonly Lazy<(int Version, string Sql)[]> s_scripts = new(() =>
        typeof(SchemaMigrations).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                using var stream = typeof(SchemaMigrations).Assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (int.Parse(n.AsSpan(Prefix.Length, 3), CultureInfo.InvariantCulture), reader.ReadToEnd());
            })
            .OrderBy(s => s.Item1)
            .ToArray());

    private static readonly Dictionary<int, Action<DuckDBConnection>> s_backfills = new() { [2] = BackfillDerivedColumns, [5] = BackfillEndpointKinds };

    /// <summary>The schema version this build writes.</summary>
    public static int Latest => s_scripts.Value[^1].Version;

    /// <summary>The file's schema version; 0 when it has none yet (a new file).</summary>
    public static int CurrentVersion(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_version' AND schema_name = 'main'";
        if ((long)command.ExecuteScalar()! == 0)
        {
            return 0;
        }

        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Brings the file up to <see cref="Latest"/>.</summary>
    public static void Apply(DuckDBConnection connection, string path)
    {
        var current = CurrentVersion(connection);
        if (current > Latest)
        {
            throw TooNew(path, current);
        }

        foreach (var (version, sql) in s_scripts.Value.Where(s => s.Version > current))
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)";
            command.ExecuteNonQuery();
            command.CommandText = sql;
            command.ExecuteNonQuery();
            if (s_backfills.TryGetValue(version, out var backfill))
            {
                backfill(connection);
            }

            command.CommandText = $"INSERT INTO schema_version (version) VALUES ({version})";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <summary>A read-only store cannot be migrated: it must already be at this build's version.</summary>
    public static void Check(DuckDBConnection connection, string path)
    {
        var current = CurrentVersion(connection);
        if (current > Latest)
        {
            throw TooNew(path, current);
        }

        if (current < Latest)
        {
            throw new StoreException($"the store {path} has schema version {current}, this claudit needs {Latest}: open it once for writing (e.g. `claudit import`) to upgrade it");
        }
    }

    private static StoreException TooNew(string path, int version) =>
        new($"the store {path} was written by a newer claudit (schema version {version}, this one knows up to {Latest}): upgrade claudit");

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
