using Claudit.Core.Reporting;
using Claudit.Core.Records;
using Claudit.Store;

namespace Claudit.Server.Tests.Support;

/// <summary>
/// Fault injection in front of a real store: every call goes to it, except that while <see cref="Down"/>
/// every write fails as a store that cannot be reached does, and a batch holding a record that
/// <see cref="Refuses"/> fails as a store that cannot take one value does. For the failures a healthy
/// DuckDB file cannot be made to produce on demand.
/// </summary>
internal sealed class FaultyStore(ICallStore store) : ICallStore
{
    public bool Down { get; set; }

    public Func<CallRecord, bool> Refuses { get; init; } = _ => false;

    public Task<int> AppendAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken = default) =>
        Fault(records) ?? store.AppendAsync(records, cancellationToken);

    public Task<int> AppendAsync(IReadOnlyList<CallRecord> records, JournalPosition through, CancellationToken cancellationToken = default) =>
        Fault(records) ?? store.AppendAsync(records, through, cancellationToken);

    public Task<IReadOnlyDictionary<string, long>> GetJournalPositionsAsync(CancellationToken cancellationToken = default) => store.GetJournalPositionsAsync(cancellationToken);

    public Task<CallRecord?> GetCallAsync(Guid id, RecordFilter? scope = null, CancellationToken cancellationToken = default) => store.GetCallAsync(id, scope, cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken = default) => store.CountAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask; // the real store belongs to the test

    private Task<int>? Fault(IReadOnlyList<CallRecord> records) =>
        Down ? Task.FromException<int>(new IOException("the store is unreachable (injected)"))
        : records.Any(Refuses) ? Task.FromException<int>(new InvalidOperationException("a value the store cannot take (injected)"))
        : null;
}
