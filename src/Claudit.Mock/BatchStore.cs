using System.Text.Json;
using Claudit.Core.Anthropic;

namespace Claudit.Mock;

/// <summary>
/// The Message Batches the mock holds, in memory and bounded (<see cref="MockOptions.MaxBatches"/>; the oldest
/// ended batch makes room). Requests are processed lazily when anyone looks — a batch call, or a usage report —
/// each at its own scheduled time: answered by the same planner as <c>/v1/messages</c> on the batch tier, and
/// billed in the usage ledger at the time it was processed, not the time it was looked at.
/// </summary>
internal sealed class BatchStore(MockOptions options, ResponsePlanner planner, UsageLedger ledger)
{
    /// <summary>A request whose <c>metadata.user_id</c> is this fails with <c>api_error</c>: a header-less way to get an errored result.</summary>
    public const string ErrorTrigger = "mock-batch-error";

    private readonly Dictionary<string, MockBatch> _byId = new(StringComparer.Ordinal);
    private readonly List<MockBatch> _oldestFirst = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    public (BatchSnapshot? Batch, MockError? Error) Create(string id, MockCaller caller, IReadOnlyList<(string CustomId, JsonElement Params)> requests, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_byId.Count >= options.MaxBatches)
            {
                var oldestEnded = _oldestFirst.FirstOrDefault(b => b.HasEnded(now));
                if (oldestEnded is null)
                {
                    // The API limits the requests waiting in its queue with 429s; the mock limits batches held.
                    return (null, new MockError(429, ErrorTypes.RateLimit, $"The mock holds at most {options.MaxBatches} batches and none has ended yet."));
                }

                Advance(oldestEnded, now); // its usage is billed before it goes
                Remove(oldestEnded);
            }

            var batch = new MockBatch(id, now, options.BatchProcessingTime, caller, requests);
            _byId[id] = batch;
            _oldestFirst.Add(batch);
            Advance(batch, now);
            return (BatchSnapshot.Of(batch, now), null);
        }
    }

    public BatchSnapshot? Find(string id, DateTimeOffset now)
    {
        lock (_gate)
        {
            return Current(id, now) is { } batch ? BatchSnapshot.Of(batch, now) : null;
        }
    }

    /// <summary>Every batch, most recently created first (the list's order).</summary>
    public List<BatchSnapshot> NewestFirst(DateTimeOffset now)
    {
        lock (_gate)
        {
            var all = new List<BatchSnapshot>(_oldestFirst.Count);
            for (var i = _oldestFirst.Count - 1; i >= 0; i--)
            {
                Advance(_oldestFirst[i], now);
                all.Add(BatchSnapshot.Of(_oldestFirst[i], now));
            }

            return all;
        }
    }

    public (BatchSnapshot? Batch, MockError? Error) Cancel(string id, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (Current(id, now) is not { } batch)
            {
                return (null, NotFound(id));
            }

            if (batch.HasEnded(now))
            {
                // Unconfirmed: the reference allows a cancel "any time before processing ends" and does not say what comes after.
                return (null, MockHttp.Invalid($"Batch {id} has already ended and cannot be canceled."));
            }

            batch.Cancel(now);
            Advance(batch, now);
            return (BatchSnapshot.Of(batch, now), null);
        }
    }

    public MockError? Delete(string id, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (Current(id, now) is not { } batch)
            {
                return NotFound(id);
            }

            if (!batch.HasEnded(now))
            {
                // The reference: only ended batches can be deleted, cancel first. The status of the refusal is unconfirmed.
                return MockHttp.Invalid($"Batch {id} is still {batch.Status(now)}; only ended batches can be deleted. Cancel it first.");
            }

            Remove(batch);
            return null;
        }
    }

    /// <summary>Processes whatever is due in every batch, so the usage ledger holds all batch usage up to <paramref name="now"/>.</summary>
    public void AdvanceAll(DateTimeOffset now)
    {
        lock (_gate)
        {
            foreach (var batch in _oldestFirst)
            {
                Advance(batch, now);
            }
        }
    }

    public static MockError NotFound(string id) => MockHttp.NotFound($"message_batch_id: {id} not found");

    /// <summary>The batch, brought up to <paramref name="now"/>; null when unknown. Under the lock.</summary>
    private MockBatch? Current(string id, DateTimeOffset now)
    {
        if (!_byId.TryGetValue(id, out var batch))
        {
            return null;
        }

        Advance(batch, now);
        return batch;
    }

    private void Remove(MockBatch batch)
    {
        _byId.Remove(batch.Id);
        _oldestFirst.Remove(batch);
    }

    /// <summary>Processes the requests scheduled up to <paramref name="now"/>; once the batch has ended, the rest are canceled or expired.</summary>
    private void Advance(MockBatch batch, DateTimeOffset now)
    {
        var ended = batch.HasEnded(now);
        for (var i = 0; i < batch.Entries.Count; i++)
        {
            var entry = batch.Entries[i];
            if (entry.Outcome is not null)
            {
                continue;
            }

            if (batch.Skips(entry))
            {
                if (!ended)
                {
                    continue;
                }

                entry.Outcome = batch.CancelInitiatedAt is { } c && entry.ProcessAt > c ? new CanceledOutcome() : new ExpiredOutcome();
            }
            else if (entry.ProcessAt <= now)
            {
                entry.Outcome = Process(batch, i, entry);
            }
        }
    }

    private BatchOutcome Process(MockBatch batch, int index, BatchEntry entry)
    {
        var ids = MockIds.Seeded(options.Seed, MockIds.Hash(batch.Id) + (ulong)index);
        if (MockRequestReader.Read(entry.Params, countTokens: false, out var request) is { } invalid)
        {
            // The API validates each request's params while processing it: what /v1/messages would refuse comes back errored.
            return new ErroredOutcome(invalid, MockIds.New("req_", ids));
        }

        if (request!.UserId == ErrorTrigger)
        {
            return new ErroredOutcome(new MockError(500, ErrorTypes.Api, "Internal server error (mock-batch-error)"), MockIds.New("req_", ids));
        }

        request = request with { ServiceTier = "batch", Stream = false };
        var random = MockIds.Seeded(options.Seed, request.Prompt.PromptHash ^ (ulong)request.MaxTokens);
        var plan = planner.Plan(request, random, ids);
        ledger.Record(entry.ProcessAt, batch.Caller, request, plan);
        return new SucceededOutcome(plan);
    }
}
