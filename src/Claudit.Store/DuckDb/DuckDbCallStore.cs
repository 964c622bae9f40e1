using Claudit.Core.Pricing;
using Claudit.Core.Reconcile;
using Claudit.Core.Records;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Claudit.Core.Reporting;
using Claudit.Store.Keys;
using Claudit.Store.Alerting;
using Claudit.Store.ReadModel;
using Claudit.Store.Usage;
using DuckDB.NET.Data;

namespace Claudit.Store.DuckDb;

/// <summary>
/// Call records in one DuckDB file (docs/store.md): the writing side (<see cref="ICallStore"/>), reports
/// (<see cref="IReportQueries"/>, <see cref="SqlReport"/>) and the dashboard's read model
/// (<see cref="IDashboardReadModel"/>, <see cref="DashboardSql"/>), all over one <c>calls</c> table; the usage the
/// gateway's policies count (<see cref="IScopeUsageQueries"/>, <see cref="ScopeUsageSql"/>) and its virtual keys
/// (<see cref="IVirtualKeyStore"/>, <see cref="VirtualKeySql"/>, the <c>virtual_keys</c> table).
/// <para>
/// Concurrency: the store keeps one connection open for its lifetime, which holds the database (and
/// DuckDB's file lock, so no other process can write it). Every operation opens its own short-lived
/// connection to that same database — DuckDB.NET shares one database instance between connections to
/// the same data source — because a DuckDB connection must not be used by two threads at once, while
/// separate connections may run at the same time: DuckDB isolates them with MVCC, so the gateway's sink
/// can append while requests query, and a query sees whole batches only. (Duplicating a connection is
/// only offered for in-memory databases, and one lock around one connection would make a report wait
/// behind every append.)
/// </para>
/// </summary>
public sealed class DuckDbCallStore : IClauditStore
{
    public const string FileName = "claudit.duckdb";

    private static readonly HashSet<string> s_openPaths = new(StringComparer.Ordinal);
    private readonly DuckDBConnection _root;
    private readonly string _connectionString;
    private readonly string _fullPath;
    private int _disposed;
    private readonly Lock _appending = new();

    /// <summary>
    /// The connection every append uses, opened by the first and kept (guarded by <see cref="_appending"/>):
    /// a connection per batch cost the gateway a fixed allocation and teardown of DuckDB's buffers a few times
    /// a second on the proxy's core (issue 17's profile). Dropped after a failure, so the next append starts clean.
    /// </summary>
    private DuckDBConnection? _appendConnection;

    private DuckDbCallStore(DuckDBConnection root, string connectionString, string path, string fullPath, bool readOnly)
    {
        _root = root;
        _connectionString = connectionString;
        _fullPath = fullPath;
        Path = path;
        ReadOnly = readOnly;
    }

    /// <summary>The file, as it was given to <see cref="Open"/>.</summary>
    public string Path { get; }

    public bool ReadOnly { get; }

    /// <summary>
    /// DuckDB's own default is 80% of the machine's memory; a gateway beside the app it serves must stay
    /// small and flat. Past this it spills to disk (queries) rather than grow.
    /// </summary>
    public const string MemoryLimit = "512MB";

    /// <summary>
    /// Opens the store at <paramref name="path"/>; for writing, creates the file and brings its schema up
    /// to date first. Throws <see cref="StoreException"/> with a message for people when it cannot.
    /// </summary>
    public static DuckDbCallStore Open(string path, bool readOnly = false)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (readOnly && !File.Exists(fullPath))
        {
            throw new StoreException($"there is no store at {path}: load records into it with `claudit import`");
        }

        lock (s_openPaths)
        {
            // Two stores on one file in one process would be two databases behind one lock (file locks are
            // per process): the second could write under the first. One store per file, shared by its users.
            if (!s_openPaths.Add(fullPath))
            {
                throw new StoreException($"the store {path} is already open in this process: use that store");
            }
        }

        try
        {
            if (!readOnly && System.IO.Path.GetDirectoryName(fullPath) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }

            var connectionString = readOnly ? $"Data Source={fullPath};ACCESS_MODE=READ_ONLY" : $"Data Source={fullPath}";
            var root = new DuckDBConnection(connectionString);
            try
            {
                root.Open();
                if (readOnly)
                {
                    LimitMemory(root, MemoryLimit);
                    SchemaMigrations.Check(root, path);
                }
                else
                {
                    // An upgrade that rolls up every stored row (a one-off) may use more than a running store.
                    LimitMemory(root, UpgradeMemoryLimit);
                    SchemaMigrations.Apply(root, path);
                    LimitMemory(root, MemoryLimit);
                }
            }
            catch
            {
                root.Dispose();
                throw;
            }

            return new DuckDbCallStore(root, connectionString, path, fullPath, readOnly);
        }
        catch (Exception ex)
        {
            lock (s_openPaths)
            {
                s_openPaths.Remove(fullPath);
            }

            throw ex switch
            {
                StoreException se => se,
                DuckDBException de => Explain(path, de),
                UnauthorizedAccessException or IOException => new StoreException($"cannot create the store {path}: {ex.Message}", ex),
                _ => ex,
            };
        }
    }

    /// <summary>
    /// The memory an upgrade may use: its backfills roll up every stored row in one transaction, and the new
    /// rollup rows and their key index stay in memory until it commits (a 10M-call store needs more than 512 MB).
    /// </summary>
    public const string UpgradeMemoryLimit = "4GB";

    private static void LimitMemory(DuckDBConnection connection, string limit)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SET memory_limit = '{limit}'";
        command.ExecuteNonQuery();
    }

    public Task<int> AppendAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken = default) =>
        AppendAsync(records, null, cancellationToken);

    public Task<int> AppendAsync(IReadOnlyList<CallRecord> records, JournalPosition through, CancellationToken cancellationToken = default) =>
        AppendAsync(records, (JournalPosition?)through, cancellationToken);

    /// <summary>
    /// Appends the records whose id is not stored yet, in one transaction, and returns how many that was;
    /// with a journal position, records it in the same transaction, and the new rows are added to the
    /// rollups (Schema/008) in it too. A batch of distinct ids none of which can be stored (no stored id in
    /// its range) goes through the DuckDB appender straight into <c>calls</c>; any other goes through the
    /// appender into a connection-local staging table, then into <c>calls</c> with one insert that skips
    /// ids already stored (or repeated within the batch): a batch is all in or all out, and replaying one
    /// adds nothing. The check reads only the stored rows whose id falls in the batch's id range, which
    /// for time-ordered ids is the last few row groups.
    /// </summary>
    private Task<int> AppendAsync(IReadOnlyList<CallRecord> records, JournalPosition? through, CancellationToken cancellationToken)
    {
        ThrowIfReadOnly();
        if (records.Count == 0 && through is null)
        {
            return Task.FromResult(0);
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Task.Run(
            () =>
            {
                // One append at a time: two transactions adding to the same rollup row would both insert it
                // (neither sees the other's uncommitted row) and the second would fail on its key; and a batch
                // found to have nothing stored in its id range must still find so when it is appended.
                lock (_appending)
                {
                    ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                    if (_appendConnection is null)
                    {
                        var opened = new DuckDBConnection(_connectionString);
                        opened.Open();
                        _appendConnection = opened;
                    }

                    try
                    {
                        return AppendLocked(_appendConnection, records, through);
                    }
                    catch
                    {
                        _appendConnection.Dispose();
                        _appendConnection = null;
                        throw;
                    }
                }
            },
            cancellationToken);
    }

    private static int AppendLocked(DuckDBConnection connection, IReadOnlyList<CallRecord> records, JournalPosition? through)
    {
        // The usual batch (the gateway's next records) has ids of its own and none stored in its id range:
        // it is appended straight into calls. Only a batch that may repeat stored ids goes through staging.
        var range = records.Count > 0 && DistinctIds(records) ? IdRange(records) : default;
        var direct = range.Min is not null && !AnyStoredIn(connection, range);
        if (records.Count > 0 && !direct)
        {
            // The connection is kept from batch to batch: the staging table of the last one is replaced.
            StoreSql.Execute(connection, "CREATE OR REPLACE TEMP TABLE staging AS SELECT * FROM calls LIMIT 0");
        }

        using var transaction = connection.BeginTransaction();
        var inserted = records.Count == 0 ? 0 : direct ? AppendAll(connection, transaction, records, range) : InsertNew(connection, transaction, records);

        if (through is { } position)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT OR REPLACE INTO journal_position (file, byte_offset, updated_at) VALUES ($file, $offset, current_timestamp)";
            command.Parameters.Add(new DuckDBParameter("file", position.File));
            command.Parameters.Add(new DuckDBParameter("offset", position.Offset));
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        if (records.Count > 0 && !direct)
        {
            // Kept connection: the batch's copies are not kept with it.
            StoreSql.Execute(connection, "DROP TABLE IF EXISTS temp.staging");
            StoreSql.Execute(connection, "DROP TABLE IF EXISTS temp.fresh");
        }

        return inserted;
    }

    private static int AppendAll(DuckDBConnection connection, DuckDBTransaction transaction, IReadOnlyList<CallRecord> records, (string Min, string Max) range)
    {
        using (var appender = connection.CreateAppender("calls"))
        {
            foreach (var record in records)
            {
                CallRows.Append(appender, record);
            }
        }

        // Nothing was stored in the batch's id range before it (and appends are serialised), so the range
        // now holds exactly the batch: the rollups read it back from there rather than from a copy.
        RollupSql.Add(connection, transaction, $"(SELECT * FROM calls WHERE id BETWEEN '{range.Min}'::UUID AND '{range.Max}'::UUID)");
        return records.Count;
    }

    /// <summary>The batch's least and greatest id as text (DuckDB orders UUIDs as their text).</summary>
    private static (string Min, string Max) IdRange(IReadOnlyList<CallRecord> records)
    {
        string min = records[0].Id.ToString(), max = min;
        foreach (var record in records)
        {
            var id = record.Id.ToString();
            if (string.CompareOrdinal(id, min) < 0)
            {
                min = id;
            }
            else if (string.CompareOrdinal(id, max) > 0)
            {
                max = id;
            }
        }

        return (min, max);
    }

    /// <summary>Whether any stored row's id falls in <paramref name="range"/>.</summary>
    private static bool AnyStoredIn(DuckDBConnection connection, (string Min, string Max) range)
    {
        using var command = StoreSql.Command(connection, "SELECT EXISTS (SELECT 1 FROM calls WHERE id BETWEEN $min::UUID AND $max::UUID)",
            [new DuckDBParameter("min", range.Min), new DuckDBParameter("max", range.Max)]);
        return command.ExecuteScalar() is true;
    }

    private static int InsertNew(DuckDBConnection connection, DuckDBTransaction transaction, IReadOnlyList<CallRecord> records)
    {
        using (var appender = connection.CreateAppender("temp", "main", "staging"))
        {
            foreach (var record in records)
            {
                CallRows.Append(appender, record);
            }
        }

        // The new rows once, in a temp table: they go into calls and, in the same transaction, into the rollups.
        // Ids repeated within the batch are rare (a journal replayed over itself): only then is the batch
        // numbered per id, which carries every column through a sort.
        using (var fresh = connection.CreateCommand())
        {
            fresh.Transaction = transaction;
            fresh.CommandText = DistinctIds(records) ? FreshDistinctSql : FreshSql;
            fresh.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO calls SELECT * FROM fresh";
        var inserted = insert.ExecuteNonQuery();
        if (inserted > 0)
        {
            RollupSql.Add(connection, transaction, "fresh");
        }

        return inserted;
    }

    private const string FreshSql = """
        CREATE OR REPLACE TEMP TABLE fresh AS
        SELECT * EXCLUDE (duplicate) FROM (
            SELECT s.*, row_number() OVER (PARTITION BY s.id) > 1 AS duplicate FROM staging s
            WHERE NOT EXISTS (
                SELECT 1 FROM calls c
                WHERE c.id = s.id AND c.id BETWEEN (SELECT min(id) FROM staging) AND (SELECT max(id) FROM staging)))
        WHERE NOT duplicate
        """;

    private const string FreshDistinctSql = """
        CREATE OR REPLACE TEMP TABLE fresh AS
        SELECT s.* FROM staging s
        WHERE NOT EXISTS (
            SELECT 1 FROM calls c
            WHERE c.id = s.id AND c.id BETWEEN (SELECT min(id) FROM staging) AND (SELECT max(id) FROM staging))
        """;

    private static bool DistinctIds(IReadOnlyList<CallRecord> records)
    {
        var seen = new HashSet<Guid>(records.Count);
        foreach (var record in records)
        {
            if (!seen.Add(record.Id))
            {
                return false;
            }
        }

        return true;
    }

    public Task<IReadOnlyDictionary<string, long>> GetJournalPositionsAsync(CancellationToken cancellationToken = default) =>
        Run<IReadOnlyDictionary<string, long>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT file, byte_offset FROM journal_position";
            using var reader = command.ExecuteReader();
            var positions = new Dictionary<string, long>(StringComparer.Ordinal);
            while (reader.Read())
            {
                positions[reader.GetString(0)] = reader.GetInt64(1);
            }

            return positions;
        }, cancellationToken);

    public Task<Report> QueryReportAsync(ReportOptions options, CostCalculator pricing, CancellationToken cancellationToken = default) =>
        Run(connection => new SqlReport(connection, options, pricing).Run(), cancellationToken);

    public Task<IReadOnlyList<ReconcileCell>> QueryRecordedUsageAsync(DateTimeOffset since, DateTimeOffset until, ReconcileWidth width, CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<ReconcileCell>>(connection => ReconcileSql.Recorded(connection, since, until, width), cancellationToken);

    public Task SaveReconciliationAsync(Reconciliation reconciliation, DateTimeOffset reconciledAt, CancellationToken cancellationToken = default) =>
        Run(connection =>
        {
            ThrowIfReadOnly();
            ReconciliationRows.Save(connection, reconciliation, reconciledAt);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<StoredReconcileRow>> QueryReconciliationsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<StoredReconcileRow>>(connection => ReconciliationRows.Query(connection, since, until), cancellationToken);

    public Task<IReadOnlyList<UnrecordedSpend>> QueryUnrecordedSpendAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        Run(connection => UnrecordedSpend.ByDay(ReconciliationRows.Query(connection, since, until).Select(r => (r.Row, r.ReconciledAt))), cancellationToken);

    public Task AppendContentAsync(IReadOnlyList<CallContent> contents, CancellationToken cancellationToken = default) =>
        Run(connection =>
        {
            ThrowIfReadOnly();
            ContentRows.Append(connection, contents);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyDictionary<Guid, CallContent>> GetContentAsync(IReadOnlyCollection<Guid> callIds, CancellationToken cancellationToken = default) =>
        Run<IReadOnlyDictionary<Guid, CallContent>>(connection => ContentRows.Read(connection, callIds), cancellationToken);

    public Task<CallRecord?> GetCallAsync(Guid id, RecordFilter? scope = null, CancellationToken cancellationToken = default) =>
        Run(connection =>
        {
            var parameters = new List<DuckDBParameter> { new("id", id) };
            // By id a call of any endpoint is found; the scope narrows by tenant only.
            var where = StoreFilter.Where((scope ?? RecordFilter.None) with { Endpoint = EndpointScope.All }, parameters);
            using var command = StoreSql.Command(connection, $"SELECT {CallRows.SelectList} FROM calls WHERE id = $id AND {where}", parameters);
            using var reader = command.ExecuteReader();
            return reader.Read() ? CallRows.Read(reader) : null;
        }, cancellationToken);

    public Task<Overview> QueryOverviewAsync(RecordFilter filter, CostBasis cost, CancellationToken cancellationToken = default) =>
        Run(connection => DashboardSql.Overview(connection, filter, cost), cancellationToken);

    public Task<TimeSeries> QueryTimeSeriesAsync(RecordFilter filter, CostBasis cost, TimeSeriesQuery query, CancellationToken cancellationToken = default) =>
        Run(connection => DashboardSql.Series(connection, filter, cost, query), cancellationToken);

    public Task<SessionSummary[]> QuerySessionsAsync(RecordFilter filter, CostBasis cost, int limit, int offset = 0, string? search = null, CancellationToken cancellationToken = default) =>
        Run(connection => DashboardSql.Sessions(connection, filter, cost, limit, offset, search), cancellationToken);

    public Task<DataSpan> QueryDataSpanAsync(RecordFilter filter, CancellationToken cancellationToken = default) =>
        Run(connection => DashboardSql.Span(connection, filter), cancellationToken);

    public Task<ErrorGroup[]> QueryErrorGroupsAsync(RecordFilter filter, int limit, CancellationToken cancellationToken = default) =>
        Run(connection => DashboardSql.ErrorGroups(connection, filter, limit), cancellationToken);

    public Task<SessionDetail?> GetSessionAsync(string id, CostBasis cost, RecordFilter? scope = null, CancellationToken cancellationToken = default) =>
        Run(connection => DashboardSql.Session(connection, id, cost, scope ?? RecordFilter.None), cancellationToken);

    public Task<CallListItem[]> QueryCallsAsync(RecordFilter filter, CostBasis cost, CallListQuery query, CancellationToken cancellationToken = default) =>
        Run(connection => DashboardSql.Calls(connection, filter, cost, query), cancellationToken);

    public Task<BreakdownRow[]> QueryBreakdownAsync(RecordFilter filter, CostBasis cost, BreakdownKey by, int limit, bool latency = true, CancellationToken cancellationToken = default) =>
        Run(connection => DashboardSql.Breakdown(connection, filter, cost, by, limit, latency), cancellationToken);

    public Task<Quality> QueryQualityAsync(RecordFilter filter, CancellationToken cancellationToken = default) =>
        Run(connection => DashboardSql.Quality(connection, filter), cancellationToken);

    public Task<DailyCost[]> QueryDailyCostAsync(RecordFilter filter, CostBasis cost, CancellationToken cancellationToken = default) =>
        Run(connection => DashboardSql.Daily(connection, filter, cost), cancellationToken);

    public Task<SessionCostDistribution> QuerySessionCostsAsync(RecordFilter filter, CostBasis cost, CancellationToken cancellationToken = default) =>
        Run(connection => DashboardSql.SessionCosts(connection, filter, cost), cancellationToken);

    public Task SaveBatchAsync(BatchEntry batch, CancellationToken cancellationToken = default) =>
        Run(connection =>
        {
            BatchRows.Save(connection, batch);
            return true;
        }, cancellationToken);

    public Task<BatchEntry?> GetBatchAsync(string id, CancellationToken cancellationToken = default) =>
        Run(connection => BatchRows.Get(connection, id), cancellationToken);

    public Task<BatchEntry[]> ListBatchesAsync(int limit, CancellationToken cancellationToken = default) =>
        Run(connection => BatchRows.List(connection, limit), cancellationToken);

    public Task<ScopeUsage[]> QueryScopeUsageAsync(ScopeUsageQuery query, CancellationToken cancellationToken = default) =>
        Run(connection => ScopeUsageSql.Query(connection, query), cancellationToken);

    public Task AddKeyAsync(StoredVirtualKey key, CancellationToken cancellationToken = default) =>
        Run(connection =>
        {
            ThrowIfReadOnly();
            VirtualKeySql.Add(connection, key);
            return true;
        }, cancellationToken);

    public Task<StoredVirtualKey[]> ListKeysAsync(CancellationToken cancellationToken = default) =>
        Run(VirtualKeySql.List, cancellationToken);

    public Task<StoredVirtualKey?> RevokeKeyAsync(string nameOrId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Run(connection =>
        {
            ThrowIfReadOnly();
            return VirtualKeySql.Revoke(connection, nameOrId, at);
        }, cancellationToken);

    public Task SaveAlertsAsync(IReadOnlyList<StoredAlert> alerts, IReadOnlyList<Guid> deleted, CancellationToken cancellationToken = default) =>
        alerts.Count == 0 && deleted.Count == 0 ? Task.CompletedTask : Run(connection => AlertSql.Save(connection, alerts, deleted), cancellationToken);

    public Task<StoredAlert[]> QueryActiveAlertsAsync(CancellationToken cancellationToken = default) =>
        Run(connection => AlertSql.Query(connection, "status IN ('pending', 'firing')", "started_at, id", int.MaxValue), cancellationToken);

    public Task<StoredAlert[]> QueryAlertHistoryAsync(int limit, CancellationToken cancellationToken = default) =>
        Run(connection => AlertSql.Query(connection, "status IN ('firing', 'resolved')", "fired_at DESC, id DESC", limit), cancellationToken);

    public async Task<StoredAlert?> GetAlertAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await Run(connection => AlertSql.Query(connection, "id = $id", "id", 1, new DuckDBParameter("id", id)), cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public Task<HourlyTotals[]> QueryHourlyTotalsAsync(RecordFilter filter, string? endpoint, IReadOnlyList<CallDimension> groupBy, CancellationToken cancellationToken = default) =>
        Run(connection => AlertSql.Hourly(connection, filter, endpoint, groupBy), cancellationToken);

    /// <summary>
    /// One query on a connection of its own, read on a worker thread into a small bounded channel: the
    /// caller takes records as fast as it handles them, and memory holds a few thousand at most.
    /// </summary>
    public async IAsyncEnumerable<CallRecord> ReadCallsAsync(RecordFilter filter, string? endpoint = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<CallRecord>(new BoundedChannelOptions(4096) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Run(connection =>
        {
            try
            {
                foreach (var record in AlertSql.Calls(connection, filter, endpoint))
                {
                    if (!channel.Writer.WaitToWriteAsync(stop.Token).AsTask().GetAwaiter().GetResult() || !channel.Writer.TryWrite(record))
                    {
                        break;
                    }
                }

                channel.Writer.TryComplete();
            }
#pragma warning disable CA1031 // handed to the reader, which throws it where the caller awaits
            catch (Exception ex)
#pragma warning restore CA1031
            {
                channel.Writer.TryComplete(ex);
            }

            return 0;
        }, CancellationToken.None);
        try
        {
            await foreach (var record in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return record;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        Run(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM calls";
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            lock (_appending)
            {
                _appendConnection?.Dispose();
                _appendConnection = null;
            }

            _root.Dispose();
            lock (s_openPaths)
            {
                s_openPaths.Remove(_fullPath);
            }
        }

        return ValueTask.CompletedTask;
    }

    private void ThrowIfReadOnly()
    {
        if (ReadOnly)
        {
            throw new InvalidOperationException($"The store {Path} was opened read-only.");
        }
    }

    /// <summary>Runs an operation on a connection of its own, off the caller's thread (DuckDB's API blocks).</summary>
    private Task<T> Run<T>(Func<DuckDBConnection, T> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        // A thread of its own (LongRunning), not the pool's: a dashboard view runs up to eighteen queries at once,
        // each blocking its thread in DuckDB for up to a few hundred milliseconds, and on two cores the pool grows
        // by about a thread a second — requests as light as /api/whoami then waited a second behind them.
        return Task.Factory.StartNew(
            () =>
            {
                using var connection = new DuckDBConnection(_connectionString);
                connection.Open();
                return operation(connection);
            },
            cancellationToken,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Default);
    }

    private static StoreException Explain(string path, DuckDBException ex)
    {
        var message = ex.Message;
        if (message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase) || message.Contains("Conflicting lock", StringComparison.OrdinalIgnoreCase))
        {
            return new StoreException($"the store {path} is in use by another process (a running `claudit serve`?): ask it with --server URL", ex);
        }

        if (message.Contains("not a valid DuckDB database", StringComparison.OrdinalIgnoreCase))
        {
            return new StoreException($"{path} is not a Claudit store (not a DuckDB database file)", ex);
        }

        var firstLine = message.Split('\n', 2)[0].Trim();
        return new StoreException($"cannot open the store {path}: {firstLine}", ex);
    }
}
