using System.Diagnostics;
using Claudit.Store.DuckDb;
using DuckDB.NET.Data;

namespace Claudit.Benchmarks;

/// <summary>
/// A store of COPIES × a filled store's calls, quickly: generating and appending ten million calls one batch at
/// a time takes hours on this machine, so `scale-store SRC DST COPIES` copies SRC's file and repeats its calls
/// COPIES − 1 more times, each copy shifted later by the span of the original (ids rebuilt as UUIDv7 of the
/// new start, so they stay unique and time-ordered). The rollups and histograms are then rebuilt by the
/// store's own upgrade path: they are dropped and forgotten, and opening the store runs their scripts and
/// backfills over every row, as for a store written by a Claudit from before them.
/// </summary>
public static class StoreScaleUp
{
    public static async Task RunAsync(string source, string destination, int copies)
    {
        Directory.CreateDirectory(destination);
        var path = Path.Combine(destination, DuckDbCallStore.FileName);
        File.Copy(Path.Combine(source, DuckDbCallStore.FileName), path, overwrite: true);
        var watch = Stopwatch.StartNew();
        using (var connection = new DuckDBConnection($"Data Source={path}"))
        {
            connection.Open();
            long first, last, count;
            using (var span = connection.CreateCommand())
            {
                span.CommandText = "SELECT epoch_us(min(start_time)), epoch_us(max(start_time)), count(*) FROM calls";
                using var d = span.ExecuteReader();
                d.Read();
                (first, last, count) = (d.GetInt64(0), d.GetInt64(1), d.GetInt64(2));
            }

            var shift = last - first + 60_000_000; // microseconds: the span and a minute
            for (var copy = 1; copy < copies; copy++)
            {
                using var insert = connection.CreateCommand();
                // A UUIDv7's first 48 bits are its Unix milliseconds: the shifted start's, then the original id's other 80 bits.
                insert.CommandText = $"""
                    INSERT INTO calls SELECT * REPLACE (
                        start_time + to_microseconds({shift * copy}) AS start_time,
                        (substr(lpad(lower(hex(epoch_ms(start_time + to_microseconds({shift * copy})))), 12, '0'), 1, 8) || '-'
                            || substr(lpad(lower(hex(epoch_ms(start_time + to_microseconds({shift * copy})))), 12, '0'), 9, 4)
                            || substr(CAST(id AS VARCHAR), 14))::UUID AS id)
                    FROM calls WHERE start_time <= make_timestamptz({last})
                    """;
                insert.ExecuteNonQuery();
                Console.WriteLine($"copy {copy + 1} of {copies}: {count * (copy + 1):N0} calls ({watch.Elapsed.TotalSeconds:F0} s)");
            }

            // Every rollup is dropped and its versions forgotten, so that opening the store rolls the copies up.
            var rollups = new List<string>();
            using (var tables = connection.CreateCommand())
            {
                tables.CommandText = "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'call_rollup%'";
                using var d = tables.ExecuteReader();
                while (d.Read())
                {
                    rollups.Add(d.GetString(0));
                }
            }

            foreach (var sql in rollups.Select(t => $"DROP TABLE {t}")
                .Concat(["DROP TABLE IF EXISTS call_histogram", "DROP TABLE IF EXISTS call_cost_peak", "DELETE FROM schema_version WHERE version IN (8, 11, 15, 16)", "CHECKPOINT"]))
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                command.ExecuteNonQuery();
            }
        }

        await using (var store = DuckDbCallStore.Open(path))
        {
            Console.WriteLine($"rollups rebuilt: {await store.CountAsync():N0} calls, {new FileInfo(path).Length / (1024 * 1024):N0} MiB, {watch.Elapsed.TotalSeconds:F0} s in all");
        }
    }
}
