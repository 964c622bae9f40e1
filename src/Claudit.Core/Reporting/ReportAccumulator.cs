using Claudit.Core.Pricing;
using Claudit.Core.Records;

namespace Claudit.Core.Reporting;

/// <summary>
/// Folds records into report totals. One accumulator per thread; <see cref="Merge"/> combines them,
/// so a report over a large file uses every core. Keeps one latency value per call (for exact
/// percentiles) and small bounded heaps for the top-N and recent-error lists.
/// </summary>
public sealed class ReportAccumulator
{
    private readonly ReportOptions _options;
    private readonly CostCalculator _pricing;
    private readonly Dictionary<string, long> _errorsByType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _stopReasons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _unpricedModels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupTotals> _groups = new(StringComparer.Ordinal);
    private readonly DoubleList _latencies = new();
    private readonly DoubleList _ttfts = new();
    private readonly PriorityQueue<CallSummary, decimal> _top = new();
    private readonly PriorityQueue<ErrorSummary, DateTimeOffset> _recentErrors = new();
    private readonly SortedSet<string> _recordedTables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupTotals> _otherEndpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long? Requests, DateTimeOffset LastSeen)> _endedBatches = new(StringComparer.Ordinal);
    private readonly HashSet<string> _batchesWithResults = new(StringComparer.Ordinal);
    private long _calls, _errors, _priced, _unpriced, _withoutUsage, _skipped, _retries;
    private long _input, _output, _cacheWrite, _cacheRead, _thinking;
    private decimal _cost, _costInput, _cost5m, _cost1h, _costRead, _costOutput, _costWeb;
    private DateTimeOffset? _from, _to;
    private int _lastDay = int.MinValue;
    private string _lastDayKey = "";
    private string? _lastTable;

    public ReportAccumulator(ReportOptions options, CostCalculator pricing)
    {
        _options = options;
        _pricing = pricing;
    }

    public long Calls => _calls;

    /// <summary>Counts an input line that was not a record.</summary>
    public void Skipped(long lines = 1) => _skipped += lines;

    public void Add(CallRecord r)
    {
        var fields = ReportFields.Of(r);
        Add(in fields);
    }

    /// <summary>One call's fields (read from a line without a record, or taken from one).</summary>
    internal void Add(scoped in ReportFields r)
    {
        // A batch's results count as seen whenever they were read, whatever range the report covers.
        if (r.EndpointKind == EndpointKinds.BatchResult && r.Batch?.Id is { } withResults)
        {
            _batchesWithResults.Add(withResults);
        }

        if (!_options.Filter.MatchesBesidesEndpoint(r.StartTime, r.ModelUsed, r.ModelRequested, r.Tags.Feature, r.Tags.User, r.Tags.Tenant))
        {
            return;
        }

        if (r.Batch is { ProcessingStatus: "ended" } ended)
        {
            NoteEndedBatch(ended.Id, ended.RequestCount, r.StartTime);
        }

        if (!EndpointScope.Includes(_options.Filter.Endpoint, r.EndpointKind))
        {
            AddOtherEndpoint(in r);
            return;
        }

        _calls++;
        _retries += r.Tags.ParentId is null ? 0 : 1;
        if (_from is null || r.StartTime < _from) _from = r.StartTime;
        if (_to is null || r.StartTime > _to) _to = r.StartTime;

        if (r.IsError)
        {
            _errors++;
            var type = r.Error?.Type ?? Anthropic.ErrorTypes.HttpError;
            Increment(_errorsByType, type);
            OfferRecentError(in r, type);
        }

        if (r.StopReason is { } stop)
        {
            Increment(_stopReasons, stop);
        }

        if (r.Usage is { } u)
        {
            _input += u.InputTokens;
            _output += u.OutputTokens;
            _cacheWrite += u.CacheCreationInputTokens;
            _cacheRead += u.CacheReadInputTokens;
            _thinking += u.ThinkingTokens ?? 0;
        }

        var (priced, cost, total) = CostOf(in r);
        if (r.Usage is null && !r.IsError && !priced)
        {
            // A successful call that reported no tokens and has no price (a free endpoint's call is priced: $0).
            _withoutUsage++;
        }

        var callCost = 0m;
        if (priced)
        {
            _priced++;
            callCost = total;
            _cost += total;
            _costInput += cost.Input;
            _cost5m += cost.CacheWrite5m;
            _cost1h += cost.CacheWrite1h;
            _costRead += cost.CacheRead;
            _costOutput += cost.Output;
            _costWeb += cost.WebSearch;
            // Consecutive records name the same table (the same pooled string): the set is asked only when it changes.
            if (_options.CostMode == CostMode.Recorded && r.Cost?.PriceTableVersion is { } version && !ReferenceEquals(version, _lastTable))
            {
                _recordedTables.Add(version);
                _lastTable = version;
            }

            OfferTop(in r, callCost);
        }
        else if (r.Usage is not null)
        {
            // Errors without usage cost nothing; a call with tokens we cannot price is a hole in the total.
            _unpriced++;
            Increment(_unpricedModels, r.PricedModel ?? "(no model)");
        }

        _latencies.Add(r.LatencyMs);
        if (r.TtftMs is { } ttft)
        {
            _ttfts.Add(ttft);
        }

        var group = GroupFor(in r);
        group.Calls++;
        group.Errors += r.IsError ? 1 : 0;
        group.Cost += callCost;
        if (r.Usage is { } gu)
        {
            group.Input += gu.InputTokens;
            group.Output += gu.OutputTokens;
            group.CacheWrite += gu.CacheCreationInputTokens;
            group.CacheRead += gu.CacheReadInputTokens;
        }

        group.Latencies.Add(r.LatencyMs);
    }

    private void AddOtherEndpoint(scoped in ReportFields r)
    {
        if (!_otherEndpoints.TryGetValue(r.EndpointKind, out var totals))
        {
            totals = new GroupTotals();
            _otherEndpoints[r.EndpointKind] = totals;
        }

        totals.Calls++;
        totals.Errors += r.IsError ? 1 : 0;
        var (priced, _, cost) = CostOf(in r);
        totals.Cost += priced ? cost : 0m;
        totals.Latencies.Add(r.LatencyMs);
    }

    private void NoteEndedBatch(string id, long? requests, DateTimeOffset seen)
    {
        var known = _endedBatches.TryGetValue(id, out var k) ? k : (null, seen);
        _endedBatches[id] = (requests ?? known.Requests, seen > known.LastSeen ? seen : known.LastSeen);
    }

    /// <summary>Adds another accumulator's totals into this one (same options).</summary>
    public void Merge(ReportAccumulator other)
    {
        _batchesWithResults.UnionWith(other._batchesWithResults);
        foreach (var (id, (requests, seen)) in other._endedBatches)
        {
            NoteEndedBatch(id, requests, seen);
        }

        foreach (var (kind, g) in other._otherEndpoints)
        {
            if (!_otherEndpoints.TryGetValue(kind, out var mine))
            {
                mine = new GroupTotals();
                _otherEndpoints[kind] = mine;
            }

            mine.Merge(g);
        }

        _calls += other._calls;
        _errors += other._errors;
        _retries += other._retries;
        _priced += other._priced;
        _unpriced += other._unpriced;
        _withoutUsage += other._withoutUsage;
        _skipped += other._skipped;
        _recordedTables.UnionWith(other._recordedTables);
        _input += other._input;
        _output += other._output;
        _cacheWrite += other._cacheWrite;
        _cacheRead += other._cacheRead;
        _thinking += other._thinking;
        _cost += other._cost;
        _costInput += other._costInput;
        _cost5m += other._cost5m;
        _cost1h += other._cost1h;
        _costRead += other._costRead;
        _costOutput += other._costOutput;
        _costWeb += other._costWeb;
        if (other._from is { } f && (_from is null || f < _from)) _from = f;
        if (other._to is { } t && (_to is null || t > _to)) _to = t;
        MergeCounts(_errorsByType, other._errorsByType);
        MergeCounts(_stopReasons, other._stopReasons);
        MergeCounts(_unpricedModels, other._unpricedModels);
        _latencies.AddRange(other._latencies);
        _ttfts.AddRange(other._ttfts);
        foreach (var (key, g) in other._groups)
        {
            if (!_groups.TryGetValue(key, out var mine))
            {
                // A copy, not the other's object: adding to this accumulator later must not change the other.
                mine = new GroupTotals();
                _groups[key] = mine;
            }

            mine.Merge(g);
        }

        foreach (var (call, cost) in other._top.UnorderedItems)
        {
            OfferTop(call, cost);
        }

        foreach (var (error, _) in other._recentErrors.UnorderedItems)
        {
            OfferRecentError(error);
        }
    }

    public Report Build()
    {
        var totalInput = _input + _cacheWrite + _cacheRead;
        var stopTotal = _stopReasons.Values.Sum();
        var groups = _groups
            .Select(g =>
            {
                var lat = Percentiles.Summarise(g.Value.Latencies.Span);
                return new GroupRow(g.Key, g.Value.Calls, g.Value.Errors, Rate(g.Value.Errors, g.Value.Calls), Money.Trim(g.Value.Cost),
                    g.Value.Input, g.Value.Output, g.Value.CacheWrite, g.Value.CacheRead, lat.P50, lat.P95);
            })
            .OrderBy(g => _options.GroupBy == GroupBy.Day ? 0 : 1)
            .ThenBy(g => _options.GroupBy == GroupBy.Day ? g.Key : null, StringComparer.Ordinal)
            .ThenByDescending(g => g.CostUsd)
            .ThenByDescending(g => g.Calls)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToArray();
        var billable = _priced + _unpriced;

        return new Report(
            Calls: _calls,
            Successes: _calls - _errors,
            Errors: _errors,
            ErrorRate: Rate(_errors, _calls),
            ErrorsByType: Counts(_errorsByType, _errors),
            CostUsd: Money.Trim(_cost),
            CostBreakdownUsd: new CostBreakdown(Money.Trim(_costInput), Money.Trim(_cost5m), Money.Trim(_cost1h), Money.Trim(_costRead), Money.Trim(_costOutput), Money.Trim(_costWeb)),
            CostMode: _options.CostMode == CostMode.Recorded ? "recorded" : "recomputed",
            // Recorded: the tables the priced records name; recomputed: the one table that priced them.
            PriceTableVersion: _options.CostMode == CostMode.Recorded ? (_recordedTables.Count == 0 ? null : string.Join(',', _recordedTables)) : _pricing.Table.Version,
            Tokens: new TokenTotals(_input, _output, _cacheWrite, _cacheRead, _thinking),
            CacheHitRate: totalInput == 0 ? null : (double)_cacheRead / totalInput,
            LatencyMs: Percentiles.Summarise(_latencies.Span),
            TtftMs: Percentiles.Summarise(_ttfts.Span),
            StopReasons: Counts(_stopReasons, stopTotal),
            MaxTokensTruncationRate: stopTotal == 0 ? null : (double)_stopReasons.GetValueOrDefault("max_tokens") / stopTotal,
            GroupBy: _options.GroupBy.ToString().ToLowerInvariant(),
            By: groups,
            TopCalls: _top.UnorderedItems.Select(x => x.Element with { CostUsd = Money.Trim(x.Element.CostUsd) }).OrderByDescending(c => c.CostUsd).ThenBy(c => c.Id).ToArray(),
            RecentErrors: _recentErrors.UnorderedItems.Select(x => x.Element).OrderByDescending(e => e.StartTime).ThenBy(e => e.Id).ToArray(),
            Coverage: new CostCoverage(_priced, _unpriced, Counts(_unpricedModels, _unpriced), _withoutUsage,
                billable + _withoutUsage == 0 ? null : (double)_priced / (billable + _withoutUsage)),
            From: _from,
            To: _to)
        {
            FailureRateAfterRetries = AfterRetries.FailureRate(_calls, _errors, _retries),
            SkippedLines = _skipped,
            Endpoint = _options.Filter.Endpoint ?? EndpointScope.Billable,
            OtherEndpoints = EndpointKinds.All.Where(_otherEndpoints.ContainsKey).Select(kind =>
            {
                var g = _otherEndpoints[kind];
                var lat = Percentiles.Summarise(g.Latencies.Span);
                return new EndpointRow(kind, g.Calls, g.Errors, Money.Trim(g.Cost), lat.P50, lat.P95);
            }).ToArray(),
            BatchGaps = _endedBatches.Where(b => !_batchesWithResults.Contains(b.Key)).OrderBy(b => b.Key, StringComparer.Ordinal)
                .Select(b => new BatchGap(b.Key, b.Value.Requests, b.Value.LastSeen)).ToArray(),
        };
    }

    /// <summary>
    /// The call's cost: recomputed from its tokens (no allocation), or the one it recorded, whose total
    /// may come without a split (costs imported from other tools).
    /// </summary>
    private (bool Priced, CostAmounts Cost, decimal Total) CostOf(scoped in ReportFields r)
    {
        if (_options.CostMode == CostMode.Recorded)
        {
            return r.Cost is { Priced: true } c
                ? (true, new CostAmounts(c.InputUsd, c.CacheWrite5mUsd, c.CacheWrite1hUsd, c.CacheReadUsd, c.OutputUsd, c.WebSearchUsd, c.PricingModel ?? ""), c.TotalUsd)
                : (false, default, 0m);
        }

        return _pricing.TryCompute(r.EndpointKind, r.PricedModel, r.Usage, out var amounts, out _) ? (true, amounts, amounts.Total) : (false, default, 0m);
    }

    private GroupTotals GroupFor(scoped in ReportFields r)
    {
        var key = _options.GroupBy switch
        {
            GroupBy.Model => r.PricedModel,
            GroupBy.Feature => r.Tags.Feature,
            GroupBy.User => r.Tags.User,
            GroupBy.Tenant => r.Tags.Tenant,
            GroupBy.Session => r.Tags.SessionKey,
            GroupBy.Day => DayKey(r.StartTime),
            GroupBy.Endpoint => r.EndpointKind,
            _ => null,
        } ?? "(none)";

        if (!_groups.TryGetValue(key, out var group))
        {
            group = new GroupTotals();
            _groups[key] = group;
        }

        return group;
    }

    private string DayKey(DateTimeOffset time)
    {
        var day = (int)(time.UtcTicks / TimeSpan.TicksPerDay);
        if (day != _lastDay)
        {
            _lastDay = day;
            _lastDayKey = time.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        return _lastDayKey;
    }

    /// <summary>A call that may make the top N: only one that does is materialised as a record (its id and request id).</summary>
    private void OfferTop(scoped in ReportFields fields, decimal cost)
    {
        if (_options.TopN <= 0 || (_top.Count >= _options.TopN && _top.TryPeek(out _, out var least) && cost <= least))
        {
            return;
        }

        var r = fields.Record();
        var u = r.Usage ?? TokenUsage.Empty;
        OfferTop(new CallSummary(r.Id, r.StartTime, r.PricedModel, cost, u.InputTokens, u.OutputTokens, u.CacheCreationInputTokens,
            u.CacheReadInputTokens, r.RequestId, r.Tags.Feature, r.Tags.User), cost);
    }

    private void OfferTop(CallSummary call, decimal cost)
    {
        if (_options.TopN <= 0)
        {
            return;
        }

        if (_top.Count < _options.TopN)
        {
            _top.Enqueue(call, cost);
        }
        else if (_top.TryPeek(out _, out var least) && cost > least)
        {
            _top.DequeueEnqueue(call, cost);
        }
    }

    private void OfferRecentError(scoped in ReportFields fields, string type)
    {
        if (_options.RecentErrors <= 0 || (_recentErrors.Count >= _options.RecentErrors && _recentErrors.TryPeek(out _, out var oldest) && fields.StartTime <= oldest))
        {
            return;
        }

        var r = fields.Record();
        OfferRecentError(new ErrorSummary(r.Id, r.StartTime, r.PricedModel, type, r.Error?.Message, r.HttpStatus, r.RequestId));
    }

    private void OfferRecentError(ErrorSummary e)
    {
        if (_options.RecentErrors <= 0)
        {
            return;
        }

        if (_recentErrors.Count < _options.RecentErrors)
        {
            _recentErrors.Enqueue(e, e.StartTime);
        }
        else if (_recentErrors.TryPeek(out _, out var oldest) && e.StartTime > oldest)
        {
            _recentErrors.DequeueEnqueue(e, e.StartTime);
        }
    }

    private static void Increment(Dictionary<string, long> counts, string key) =>
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _)++;

    private static void MergeCounts(Dictionary<string, long> into, Dictionary<string, long> from)
    {
        foreach (var (key, count) in from)
        {
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(into, key, out _) += count;
        }
    }

    private static CountEntry[] Counts(Dictionary<string, long> counts, long total) =>
        counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new CountEntry(c.Key, c.Value, Rate(c.Value, total))).ToArray();

    private static double Rate(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    private sealed class GroupTotals
    {
        public long Calls, Errors, Input, Output, CacheWrite, CacheRead;
        public decimal Cost;
        public readonly DoubleList Latencies = new();

        public void Merge(GroupTotals other)
        {
            Calls += other.Calls;
            Errors += other.Errors;
            Input += other.Input;
            Output += other.Output;
            CacheWrite += other.CacheWrite;
            CacheRead += other.CacheRead;
            Cost += other.Cost;
            Latencies.AddRange(other.Latencies);
        }
    }
}
