using Claudit.Core.Capture;
using Claudit.Core.Records;
using Claudit.Instrumentation.Implementation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Claudit.Instrumentation;

/// <summary>
/// The library's record queue: where a finished record leaves the request path. Records wait on one
/// bounded queue (full → dropped and counted, never waited for) and one loop hands them to every
/// sink in batches. The loop runs with the host (or from the first record); <see cref="StopAsync"/>
/// drains what is queued and flushes the sinks. Its counters say what happened to every record.
/// </summary>
public sealed class ClauditRecordQueue : IRecordQueue, IAsyncDisposable, IDisposable
{
    private readonly BatchingQueue<CallRecord> _queue;
    private readonly IClauditSink[] _sinks;
    private readonly ILogger _logger;
    private readonly TimeSpan _drainTimeout;
    private readonly Lock _gate = new();
    private Task? _stop;
    private long _written, _sinkFailures;

    internal ClauditRecordQueue(IOptions<ClauditOptions> options, IEnumerable<IClauditSink> sinks, ILogger<ClauditRecordQueue>? logger = null)
    {
        var o = options.Value;
        _sinks = [.. sinks];
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _drainTimeout = o.DrainTimeout;
        _queue = new BatchingQueue<CallRecord>(o.QueueCapacity, o.BatchSize, WriteAsync);
    }

    /// <summary>Records accepted onto the queue.</summary>
    public long Submitted => _queue.Added;

    /// <summary>Records refused because the queue was full.</summary>
    public long Dropped => _queue.Dropped;

    /// <summary>Records handed to every sink.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Batches a sink failed to take (the other sinks still got them).</summary>
    public long SinkFailures => Interlocked.Read(ref _sinkFailures);

    /// <summary>Never blocks: a full queue drops the record and counts it. Without sinks there is nothing to queue for.</summary>
    public bool TryEnqueue(CallRecord record)
    {
        if (_sinks.Length == 0)
        {
            return false;
        }

        if (_queue.TryAdd(record))
        {
            return true;
        }

        var dropped = _queue.Dropped;
        if ((dropped & (dropped - 1)) == 0)
        {
            ClauditLog.QueueFull(_logger, dropped);
        }

        return false;
    }

    /// <summary>Starts the loop that feeds the sinks (idempotent).</summary>
    public void Start() => _queue.Start();

    /// <summary>Stops taking records and waits (within <see cref="ClauditOptions.DrainTimeout"/>) until the sinks have what was queued.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _stop ??= StopOnceAsync(cancellationToken);
        }
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_drainTimeout);
        try
        {
            await _queue.CompleteAsync().WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ClauditLog.DrainTimedOut(_logger, _queue.Waiting);
            return;
        }

        foreach (var sink in _sinks)
        {
            if (!await SinkCall.TryAsync(_logger, sink.GetType().Name, 0, () => sink.FlushAsync(timeout.Token)).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _sinkFailures);
            }
        }
    }

    private async Task WriteAsync(List<CallRecord> batch)
    {
        foreach (var sink in _sinks)
        {
            if (!await SinkCall.TryAsync(_logger, sink.GetType().Name, batch.Count, () => sink.WriteAsync(batch, CancellationToken.None)).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _sinkFailures);
            }
        }

        Interlocked.Add(ref _written, batch.Count);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>For containers disposed synchronously: the drain runs on the pool, so waiting for it here cannot deadlock.</summary>
    public void Dispose() => StopAsync().GetAwaiter().GetResult();
}
