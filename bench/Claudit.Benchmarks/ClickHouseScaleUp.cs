using System.Diagnostics;
using System.Globalization;
using System.Text;
using Claudit.Store.ClickHouse;

namespace Claudit.Benchmarks;

/// <summary>
/// A ClickHouse store of COPIES × its calls, quickly (the ClickHouse twin of <see cref="StoreScaleUp"/>): appending
/// ten million calls through the client runs at ~4,000 records/s here (~45 min), so `clickhouse-bench … --copies N`
/// repeats the stored calls N − 1 more times inside ClickHouse (<c>INSERT INTO calls SELECT</c>), each copy shifted
/// later by the span of the original plus a minute (whole seconds, so <c>start_time</c> and <c>ticks</c> move
/// together), its id rebuilt as a UUIDv7 of the new start (the shifted Unix milliseconds, then the original id's
/// other 80 bits: unique and time-ordered, as StoreScaleUp rebuilds them), and the record's JSON line given the
/// same id and start time, so <c>/api/calls/{id}</c> and the alert replay read back what the columns say. Every
/// other column is the original's, as in StoreScaleUp (request ids, sessions and parent links repeat per copy).
/// Whatever the schema derives from <c>calls</c> by materialized views is filled by these inserts as by the store's.
/// </summary>
public static class ClickHouseScaleUp
{
    private const long TicksPerSecond = 10_000_000;

    public static async Task RunAsync(string url, int copies)
    {
        var location = ClickHouseLocation.Parse(url);
        using var http = new HttpClient { BaseAddress = location.Http, Timeout = TimeSpan.FromHours(1) };
        http.DefaultRequestHeaders.Add("X-ClickHouse-User", location.User);
        http.DefaultRequestHeaders.Add("X-ClickHouse-Key", location.Password);
        async Task<string> Query(string sql)
        {
            using var response = await http.PostAsync($"?database={location.Database}", new StringContent(sql, Encoding.UTF8));
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode ? body.TrimEnd('\n') : throw new InvalidOperationException($"ClickHouse: {body}");
        }

        var span = (await Query("SELECT min(ticks), max(ticks), count() FROM calls FORMAT TabSeparated")).Split('\t');
        var (first, last, count) = (long.Parse(span[0], CultureInfo.InvariantCulture), long.Parse(span[1], CultureInfo.InvariantCulture), long.Parse(span[2], CultureInfo.InvariantCulture));
        if (count == 0)
        {
            throw new InvalidOperationException($"{location} holds no calls to copy");
        }

        // The record's JSON line starts with its id and its start time to the second (CallRecordJsonWriter's order): the
        // copies rewrite that prefix, so every row must have it. A millisecond count has 12 hex digits from 2004 to 10889.
        const string Prefix = "concat('{\"id\":\"', toString(id), '\",\"start_time\":\"', replaceOne(toString(start_time), ' ', 'T'))";
        var odd = await Query($"SELECT count() FROM calls WHERE substring(record, 1, 78) != {Prefix} OR intDiv(ticks, 10000) < 1099511627776 FORMAT TabSeparated");
        if (odd != "0")
        {
            throw new InvalidOperationException($"{odd} stored records do not start with their id and start time, or start before 2004: not copied");
        }

        var columns = (await Query($"DESCRIBE TABLE calls FORMAT TabSeparated")).Split('\n').Select(line => line.Split('\t')[0]).ToArray();
        var shiftSeconds = ((last - first) / TicksPerSecond) + 61;
        var watch = Stopwatch.StartNew();
        for (var copy = 1; copy < copies; copy++)
        {
            var seconds = shiftSeconds * copy;
            var ticks = $"(ticks + {seconds * TicksPerSecond})";
            var hexMs = $"lower(hex(toUInt64(intDiv({ticks}, 10000))))";
            var newId = $"toUUID(concat(substring({hexMs}, 1, 8), '-', substring({hexMs}, 9, 4), substring(toString(id), 14)))";
            var select = columns.Select(c => c switch
            {
                "id" => $"{newId} AS new_id",
                "start_time" => $"start_time + {seconds} AS new_start",
                "ticks" => ticks,
                "record" => $"concat('{{\"id\":\"', toString(new_id), '\",\"start_time\":\"', replaceOne(toString(new_start), ' ', 'T'), substring(record, 79))",
                _ => c,
            });
            await Query($"INSERT INTO calls ({string.Join(", ", columns)}) SELECT {string.Join(", ", select)} FROM calls WHERE ticks <= {last}");
            Console.WriteLine($"copy {copy + 1} of {copies}: {count * (copy + 1):N0} calls ({watch.Elapsed.TotalSeconds:F0} s)");
        }

        Console.WriteLine($"scaled: {await Query("SELECT count() FROM calls FORMAT TabSeparated")} calls, {count:N0} × {copies}, {watch.Elapsed.TotalSeconds:F0} s in all");
    }
}
