using System.Text.Json;

namespace Claudit.Mock;

/// <summary>
/// A Message Batch and its timeline, computed from the clock rather than driven by timers: request <i>i</i> of
/// <i>n</i> is processed at <c>created_at + T·(i+1)/n</c> (<c>T</c> = <see cref="MockOptions.BatchProcessingTime"/>),
/// so the batch ends at <c>created_at + T</c>, or at <c>expires_at</c> (24 hours) if that comes first. A cancel
/// ends it a tenth of <c>T</c> later: long enough to be seen <c>canceling</c>, as the API shows it.
/// </summary>
internal sealed class MockBatch
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private readonly TimeSpan _processing;

    public MockBatch(string id, DateTimeOffset createdAt, TimeSpan processing, MockCaller caller, IReadOnlyList<(string CustomId, JsonElement Params)> requests)
    {
        Id = id;
        CreatedAt = createdAt;
        Caller = caller;
        _processing = processing;
        var n = requests.Count;
        Entries = [.. requests.Select((r, i) => new BatchEntry(r.CustomId, r.Params, createdAt.AddTicks((long)((Int128)processing.Ticks * (i + 1) / n))))];
    }

    public string Id { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset ExpiresAt => CreatedAt + Lifetime;

    /// <summary>Who created it: its requests are billed to that key, account and workspace.</summary>
    public MockCaller Caller { get; }

    public IReadOnlyList<BatchEntry> Entries { get; }

    public DateTimeOffset? CancelInitiatedAt { get; private set; }

    public DateTimeOffset EndsAt
    {
        get
        {
            var natural = Min(CreatedAt + _processing, ExpiresAt);
            return CancelInitiatedAt is { } canceled ? Min(natural, canceled + (_processing / 10)) : natural;
        }
    }

    public bool HasEnded(DateTimeOffset now) => now >= EndsAt;

    public string Status(DateTimeOffset now) => HasEnded(now) ? "ended" : CancelInitiatedAt is null ? "in_progress" : "canceling";

    /// <summary>Starts canceling (a second cancel changes nothing): requests not processed by now will be canceled.</summary>
    public void Cancel(DateTimeOffset now) => CancelInitiatedAt ??= now;

    /// <summary>Whether the entry is past the cancel or the expiry, so it will never be processed.</summary>
    public bool Skips(BatchEntry entry) => entry.ProcessAt > ExpiresAt || (CancelInitiatedAt is { } c && entry.ProcessAt > c);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
