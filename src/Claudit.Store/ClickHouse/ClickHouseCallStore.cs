using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Claudit.Core.Pricing;
using Claudit.Core.Reconcile;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Core.Serialization;
using Claudit.Store.Alerting;
using Claudit.Store.Keys;
using Claudit.Store.ReadModel;
using Claudit.Store.Usage;
using static Claudit.Store.ClickHouse.ClickHouseText;

namespace Claudit.Store.ClickHouse;

/// <summary>
/// Call records in a ClickHouse database (docs/scale-out.md), shared by a fleet of gateways: the writing side,
/// reports, the dashboard's read model (<see cref="ClickHouseDashboard"/>), the usage budgets count, and the small state the gateways keep (alerts, virtual keys, batches,
/// reconciliations). Talks to ClickHouse's HTTP interface (<see cref="ClickHouseHttp"/>).
/// <para>
/// Appends are idempotent by record id without transactions: a batch first asks which of its ids are stored
/// (bounded by the batch's time range, which the table's ordering skips by) and inserts only the others, so a
/// replayed batch adds nothing and the count of new records is exact. Each gateway writes only its own records,
/// so two writers never race on one id; should they (the same journal imported twice at once), the table's
/// ReplacingMergeTree collapses the copies at its next merge. The journal position of a batch is written after
/// its records are stored, per writer (<see cref="Writer"/>: each gateway's journal files have the same names).
/// </para>
/// </summary>
public sealed class ClickHouseCallStore : IClauditStore
{
    /// <summary>Ids asked about per query: a query's text stays well under ClickHouse's max_query_size (256 KiB).</summary>
    private const int IdsPerCheck = 2000;

    private readonly ClickHouseHttp _http;
    private readonly ClickHouseState _state;
    private readonly ClickHouseDashboard _dashboard;
    private long _lastPositionVersion;

    private ClickHouseCallStore(ClickHouseHttp http, ClickHouseLocation location, string writer)
    {
        _http = http;
        _state = new ClickHouseState(http);
        _dashboard = new ClickHouseDashboard(http);
        Location = location;
        Writer = writer;
    }

    public ClickHouseLocation Location { get; }

    /// <summary>Whose journal positions this store reads and writes: a gateway's instance id.</summary>
    public string Writer { get; }

    /// <summary>
    /// Opens the database at <paramref name="location"/>, creating it and bringing its schema up to date.
    /// Throws <see cref="StoreException"/> with a message for people when ClickHouse cannot be reached or refuses.
    /// </summary>
    public static async Task<ClickHouseCallStore> OpenAsync(ClickHouseLocation location, string writer, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var http = new ClickHouseHttp(location, timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await ClickHouseSchema.ApplyAsync(http, location, cancellationToken).ConfigureAwait(false);
            return new ClickHouseCallStore(http, location, writer);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    public Task<int> AppendAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken = default) =>
        AppendAsync(records, null, cancellationToken);

    public Task<int> AppendAsync(IReadOnlyList<CallRecord> records, JournalPosition through, CancellationToken cancellationToken = default) =>
        AppendAsync(records, (JournalPosition?)through, cancellationToken);

    private async Task<int> AppendAsync(IReadOnlyList<CallRecord> records, JournalPosition? through, CancellationToken cancellationToken)
    {
        var fresh = await NewRecordsAsync(records, cancellationToken).ConfigureAwait(false);
        if (fresh.Count > 0)
        {
            var buffer = new ArrayBufferWriter<byte>(fresh.Count * 2048);
            ClickHouseRows.Write(buffer, fresh);
            await _http.InsertAsync("calls", buffer.WrittenSpan.ToArray(), buffer.WrittenCount, cancellationToken).ConfigureAwait(false);
        }

        if (through is { } position)
        {
            // Only once the records are stored: a crash in between replays this batch, which adds nothing.
            var version = Math.Max(DateTimeOffset.UtcNow.UtcTicks, Interlocked.Increment(ref _lastPositionVersion));
            Interlocked.Exchange(ref _lastPositionVersion, version);
            await _http.ExecuteAsync(
                $"INSERT INTO journal_position VALUES ({Literal(Writer)}, {Literal(position.File)}, {Literal(position.Offset)}, {Literal(version)})",
                cancellationToken).ConfigureAwait(false);
        }

        return fresh.Count;
    }

    /// <summary>The records whose id is neither stored nor repeated earlier in the batch.</summary>
    private async Task<List<CallRecord>> NewRecordsAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken)
    {
        var unique = new Dictionary<Guid, CallRecord>(records.Count);
        foreach (var r in records)
        {
            unique.TryAdd(r.Id, r);
        }

        if (unique.Count == 0)
        {
            return [];
        }

        var stored = new HashSet<Guid>();
        foreach (var chunk in unique.Values.OrderBy(r => r.StartTime).Chunk(IdsPerCheck))
        {
            var from = chunk[0].StartTime.ToUnixTimeSeconds();
            var to = chunk[^1].StartTime.ToUnixTimeSeconds();
            var ids = string.Join(", ", chunk.Select(r => $"'{r.Id}'"));
            // The ids as literals of the column's type: ClickHouse compares UUIDs, it does not turn every stored id into text.
            var rows = await _http.RowsAsync(
                $"SELECT toString(id) FROM calls WHERE start_time BETWEEN toDateTime({from}) AND toDateTime({to}) AND id IN ({ids})",
                cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                stored.Add(Guid.Parse(row[0]!));
            }
        }

        return [.. unique.Values.Where(r => !stored.Contains(r.Id))];
    }

    public async Task<IReadOnlyDictionary<string, long>> GetJournalPositionsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await _http.RowsAsync(
            $"SELECT file, argMax(byte_offset, updated) FROM journal_position WHERE writer = {Literal(Writer)} GROUP BY file",
            cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r[0]!, r => Long(r[1]), StringComparer.Ordinal);
    }

    public async Task<CallRecord?> GetCallAsync(Guid id, RecordFilter? scope = null, CancellationToken cancellationToken = default)
    {
        // By id a call of any endpoint is found; the scope narrows by tenant only.
        var where = ClickHouseFilter.Where((scope ?? RecordFilter.None) with { Endpoint = EndpointScope.All });
        var rows = new List<string?[]>();
        if (id.Version == 7)
        {
            // Only the id column is read until the call is found (PREWHERE), not every row's JSON line.
            // A UUIDv7 (a Claudit record's id) carries its Unix milliseconds in its first 48 bits, close to its start: the
            // hour around them is looked in first (the ordering key skips the rest), the whole table only if the call is not there.
            var seconds = Convert.ToInt64(id.ToString("N")[..12], 16) / 1000;
            rows = await _http.RowsAsync(
                $"SELECT record FROM calls PREWHERE id = toUUID('{id}') WHERE start_time BETWEEN toDateTime({seconds - 3_600}) AND toDateTime({seconds + 3_600}) AND {where} LIMIT 1",
                cancellationToken).ConfigureAwait(false);
        }

        if (rows.Count == 0)
        {
            rows = await _http.RowsAsync($"SELECT record FROM calls PREWHERE id = toUUID('{id}') WHERE {where} LIMIT 1", cancellationToken).ConfigureAwait(false);
        }

        return rows.Count == 0 ? null : Parse(rows[0][0]!);
    }

    public Task AppendContentAsync(IReadOnlyList<CallContent> contents, CancellationToken cancellationToken = default) =>
        ClickHouseContent.AppendAsync(_http, contents, cancellationToken);

    public async Task<IReadOnlyDictionary<Guid, CallContent>> GetContentAsync(IReadOnlyCollection<Guid> callIds, CancellationToken cancellationToken = default) =>
        await ClickHouseContent.ReadAsync(_http, callIds, cancellationToken).ConfigureAwait(false);

    public async Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        Long(await _http.ScalarAsync("SELECT count() FROM calls", cancellationToken).ConfigureAwait(false));

    public Task<Report> QueryReportAsync(ReportOptions options, CostCalculator pricing, CancellationToken cancellationToken = default) =>
        new ClickHouseReport(_http, options, pricing).RunAsync(cancellationToken);

    public Task<IReadOnlyList<ReconcileCell>> QueryRecordedUsageAsync(DateTimeOffset since, DateTimeOffset until, ReconcileWidth width, CancellationToken cancellationToken = default) =>
        ClickHouseUsageSql.RecordedAsync(_http, since, until, width, cancellationToken);

    public Task<ScopeUsage[]> QueryScopeUsageAsync(ScopeUsageQuery query, CancellationToken cancellationToken = default) =>
        ClickHouseUsageSql.ScopeAsync(_http, query, cancellationToken);

    public Task<HourlyTotals[]> QueryHourlyTotalsAsync(RecordFilter filter, string? endpoint, IReadOnlyList<CallDimension> groupBy, CancellationToken cancellationToken = default) =>
        ClickHouseUsageSql.HourlyAsync(_http, filter, endpoint, groupBy, cancellationToken);

    public async IAsyncEnumerable<CallRecord> ReadCallsAsync(RecordFilter filter, string? endpoint = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var where = ClickHouseFilter.Where(endpoint is null ? filter : filter with { Endpoint = EndpointScope.All })
            + (endpoint is null ? "" : $" AND endpoint = {Literal(endpoint)}");
        await foreach (var row in _http.StreamRowsAsync($"SELECT record FROM calls WHERE {where} ORDER BY ticks, toString(id)", cancellationToken).ConfigureAwait(false))
        {
            yield return Parse(row[0]!);
        }
    }

    private static CallRecord Parse(string json) =>
        CallRecordJsonReader.TryRead(Encoding.UTF8.GetBytes(json), out var record, out var error)
            ? record!
            : throw new StoreException($"a stored record is not readable: {error}");

    public Task<Overview> QueryOverviewAsync(RecordFilter filter, CostBasis cost, CancellationToken cancellationToken = default) =>
        _dashboard.OverviewAsync(filter, cost, cancellationToken);

    public Task<TimeSeries> QueryTimeSeriesAsync(RecordFilter filter, CostBasis cost, TimeSeriesQuery query, CancellationToken cancellationToken = default) =>
        _dashboard.SeriesAsync(filter, cost, query, cancellationToken);

    public Task<BreakdownRow[]> QueryBreakdownAsync(RecordFilter filter, CostBasis cost, BreakdownKey by, int limit, bool latency = true, CancellationToken cancellationToken = default) =>
        _dashboard.BreakdownAsync(filter, cost, by, limit, latency, cancellationToken);

    public Task<Quality> QueryQualityAsync(RecordFilter filter, CancellationToken cancellationToken = default) =>
        _dashboard.QualityAsync(filter, cancellationToken);

    public Task<DailyCost[]> QueryDailyCostAsync(RecordFilter filter, CostBasis cost, CancellationToken cancellationToken = default) =>
        _dashboard.DailyAsync(filter, cost, cancellationToken);

    public Task<SessionSummary[]> QuerySessionsAsync(RecordFilter filter, CostBasis cost, int limit, int offset = 0, string? search = null, CancellationToken cancellationToken = default) =>
        _dashboard.SessionsAsync(filter, cost, limit, offset, search, cancellationToken);

    public Task<DataSpan> QueryDataSpanAsync(RecordFilter filter, CancellationToken cancellationToken = default) =>
        _dashboard.SpanAsync(filter, cancellationToken);

    public Task<ErrorGroup[]> QueryErrorGroupsAsync(RecordFilter filter, int limit, CancellationToken cancellationToken = default) =>
        _dashboard.ErrorGroupsAsync(filter, limit, cancellationToken);

    public Task<SessionCostDistribution> QuerySessionCostsAsync(RecordFilter filter, CostBasis cost, CancellationToken cancellationToken = default) =>
        _dashboard.SessionCostsAsync(filter, cost, cancellationToken);

    public Task<SessionDetail?> GetSessionAsync(string id, CostBasis cost, RecordFilter? scope = null, CancellationToken cancellationToken = default) =>
        _dashboard.SessionAsync(id, cost, scope ?? RecordFilter.None, cancellationToken);

    public Task<CallListItem[]> QueryCallsAsync(RecordFilter filter, CostBasis cost, CallListQuery query, CancellationToken cancellationToken = default) =>
        _dashboard.CallsAsync(filter, cost, query, cancellationToken);

    // ---- Batches, keys, alerts and reconciliations: documents of the state table.
    private const string BatchKind = "batch";
    private const string KeyKind = "virtual_key";
    private const string AlertKind = "alert";
    private const string ReconcileKind = "reconciliation";

    public Task SaveBatchAsync(BatchEntry batch, CancellationToken cancellationToken = default) =>
        _state.PutAsync(BatchKind, [(batch.Id, batch)], ClickHouseStateJson.Default.BatchEntry, cancellationToken);

    public async Task<BatchEntry?> GetBatchAsync(string id, CancellationToken cancellationToken = default) =>
        (await _state.GetAsync(BatchKind, ClickHouseStateJson.Default.BatchEntry, cancellationToken, id).ConfigureAwait(false)).FirstOrDefault();

    public async Task<BatchEntry[]> ListBatchesAsync(int limit, CancellationToken cancellationToken = default) =>
        [.. (await _state.GetAsync(BatchKind, ClickHouseStateJson.Default.BatchEntry, cancellationToken).ConfigureAwait(false))
            .OrderByDescending(b => b.Batch.CreatedAt ?? b.FirstSeen).ThenBy(b => b.Id, StringComparer.Ordinal).Take(limit)];

    public async Task AddKeyAsync(StoredVirtualKey key, CancellationToken cancellationToken = default)
    {
        var keys = await ListKeysAsync(cancellationToken).ConfigureAwait(false);
        if (keys.Any(k => (k.Name == key.Name && k.RevokedAt is null) || k.Id == key.Id))
        {
            throw new StoreException($"a key named '{key.Name}' exists and is not revoked: revoke it first, or choose another name");
        }

        await _state.PutAsync(KeyKind, [(key.Id, key)], ClickHouseStateJson.Default.StoredVirtualKey, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredVirtualKey[]> ListKeysAsync(CancellationToken cancellationToken = default) =>
        [.. (await _state.GetAsync(KeyKind, ClickHouseStateJson.Default.StoredVirtualKey, cancellationToken).ConfigureAwait(false))
            .OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)];

    public async Task<StoredVirtualKey?> RevokeKeyAsync(string nameOrId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var keys = await ListKeysAsync(cancellationToken).ConfigureAwait(false);
        // The id first: a name may have been reused by a later key once the first was revoked.
        var key = keys.FirstOrDefault(k => k.Id == nameOrId) ?? keys.FirstOrDefault(k => k.Name == nameOrId && k.RevokedAt is null);
        if (key is null || key.RevokedAt is not null)
        {
            return key;
        }

        var revoked = key with { RevokedAt = at };
        await _state.PutAsync(KeyKind, [(key.Id, revoked)], ClickHouseStateJson.Default.StoredVirtualKey, cancellationToken).ConfigureAwait(false);
        return revoked;
    }

    public Task SaveAlertsAsync(IReadOnlyList<StoredAlert> alerts, IReadOnlyList<Guid> deleted, CancellationToken cancellationToken = default) =>
        alerts.Count == 0 && deleted.Count == 0
            ? Task.CompletedTask
            : _state.PutAsync(AlertKind, deleted.Select(id => (id.ToString(), (StoredAlert?)null)).Concat(alerts.Select(a => (a.Id.ToString(), (StoredAlert?)a))),
                ClickHouseStateJson.Default.StoredAlert, cancellationToken);

    public async Task<StoredAlert[]> QueryActiveAlertsAsync(CancellationToken cancellationToken = default) =>
        [.. (await AlertsAsync(cancellationToken).ConfigureAwait(false))
            .Where(a => a.Status is AlertStatuses.Pending or AlertStatuses.Firing).OrderBy(a => a.StartedAt).ThenBy(a => a.Id)];

    public async Task<StoredAlert[]> QueryAlertHistoryAsync(int limit, CancellationToken cancellationToken = default) =>
        [.. (await AlertsAsync(cancellationToken).ConfigureAwait(false))
            .Where(a => a.Status is AlertStatuses.Firing or AlertStatuses.Resolved).OrderByDescending(a => a.FiredAt).ThenByDescending(a => a.Id).Take(limit)];

    public async Task<StoredAlert?> GetAlertAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await _state.GetAsync(AlertKind, ClickHouseStateJson.Default.StoredAlert, cancellationToken, id.ToString()).ConfigureAwait(false)).FirstOrDefault();

    private Task<List<StoredAlert>> AlertsAsync(CancellationToken cancellationToken) =>
        _state.GetAsync(AlertKind, ClickHouseStateJson.Default.StoredAlert, cancellationToken);

    public async Task SaveReconciliationAsync(Reconciliation reconciliation, DateTimeOffset reconciledAt, CancellationToken cancellationToken = default)
    {
        var replaced = await QueryReconciliationsAsync(reconciliation.Since, reconciliation.Until, cancellationToken).ConfigureAwait(false);
        var rows = reconciliation.Rows.Select(r => (ReconcileKeyText(r.Key), (StoredReconcileRow?)new StoredReconcileRow(r, reconciledAt))).ToList();
        var kept = rows.Select(r => r.Item1).ToHashSet(StringComparer.Ordinal);
        var deleted = replaced.Select(r => ReconcileKeyText(r.Row.Key)).Where(k => !kept.Contains(k)).Select(k => (k, (StoredReconcileRow?)null));
        await _state.PutAsync(ReconcileKind, deleted.Concat(rows), ClickHouseStateJson.Default.StoredReconcileRow, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredReconcileRow>> QueryReconciliationsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        [.. (await _state.GetAsync(ReconcileKind, ClickHouseStateJson.Default.StoredReconcileRow, cancellationToken).ConfigureAwait(false))
            .Where(r => r.Row.Key.Bucket >= since && r.Row.Key.Bucket < until)
            .OrderBy(r => r.Row.Key.Bucket).ThenBy(r => r.Row.Key.Model, StringComparer.Ordinal).ThenBy(r => r.Row.Key.ServiceTier, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<UnrecordedSpend>> QueryUnrecordedSpendAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        UnrecordedSpend.ByDay((await QueryReconciliationsAsync(since, until, cancellationToken).ConfigureAwait(false)).Select(r => (r.Row, r.ReconciledAt)));

    private static string ReconcileKeyText(ReconcileKey key) => $"{key.Bucket.UtcTicks}|{key.Model}|{key.ServiceTier}";

    /// <summary>Drops the days before <paramref name="keepFrom"/> (retention: ClickHouse 18.16 has no TTL); returns the partitions dropped.</summary>
    public async Task<int> DropDaysBeforeAsync(DateOnly keepFrom, CancellationToken cancellationToken = default)
    {
        // A day's captured content and per-minute sums go with its calls.
        await DropPartitionsBeforeAsync("call_content", keepFrom, cancellationToken).ConfigureAwait(false);
        await DropPartitionsBeforeAsync("call_rollup", keepFrom, cancellationToken).ConfigureAwait(false);
        return await DropPartitionsBeforeAsync("calls", keepFrom, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> DropPartitionsBeforeAsync(string table, DateOnly keepFrom, CancellationToken cancellationToken)
    {
        var partitions = await _http.RowsAsync(
            $"SELECT DISTINCT partition FROM system.parts WHERE database = {Literal(Location.Database)} AND table = {Literal(table)} AND active AND partition < '{keepFrom:yyyy-MM-dd}'",
            cancellationToken).ConfigureAwait(false);
        foreach (var p in partitions)
        {
            await _http.ExecuteAsync($"ALTER TABLE {table} DROP PARTITION {Literal(p[0]!)}", cancellationToken).ConfigureAwait(false);
        }

        return partitions.Count;
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
