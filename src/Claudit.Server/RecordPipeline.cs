using System.Threading.Channels;
using Claudit.Core.Records;
using Claudit.Journal;

namespace Claudit.Server;

/// <summary>
/// Takes records off the request path: a bounded channel the request never waits on, drained by one
/// background loop into the JSONL journal. <see cref="DisposeAsync"/> drains what is queued before it
/// returns, so a graceful shutdown loses nothing.
/// </summary>
public sealed class RecordPipeline : IAsyncDisposable
{
    private readonly Channel<CallRecord> _queue;
    private readonly JsonlJournalWriter _journal;
    private readonly Task _drain;
    private long _dropped;

    public RecordPipeline(JsonlJournalWriter journal, int capacity)
    {
        _journal = journal;
        _queue = Channel.CreateBounded<CallRecord>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        });
        _drain = Task.Run(DrainAsync);
    }

    /// <summary>Records the queue refused because the journal could not keep up.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Written => _journal.RecordsWritten + _journal.RecordsBuffered;

    /// <summary>Never blocks: a full queue counts the record as dropped.</summary>
    public void Submit(CallRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task DrainAsync()
    {
        await foreach (var record in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            _journal.Append(record);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _drain.ConfigureAwait(false);
        await _journal.DisposeAsync().ConfigureAwait(false);
    }
}
