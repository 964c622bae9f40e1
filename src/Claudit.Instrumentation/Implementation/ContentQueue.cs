using Claudit.Core.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Claudit.Instrumentation.Implementation;

/// <summary>
/// Captured content (opt-in, already redacted) on its way to the content sinks, apart from the
/// records: its own bounded queue and loop, so content never delays or displaces a record.
/// </summary>
internal sealed class ContentQueue : IAsyncDisposable, IDisposable
{
    private readonly BatchingQueue<CallContent> _queue;
    private readonly IClauditContentSink[] _sinks;
    private readonly ILogger _logger;
    private readonly TimeSpan _drainTimeout;
    private readonly Lock _gate = new();
    private Task? _stop;

    public ContentQueue(IOptions<ClauditOptions> options, IEnumerable<IClauditContentSink> sinks, ILogger<ContentQueue>? logger = null)
    {
        _sinks = [.. sinks];
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _drainTimeout = options.Value.DrainTimeout;
        Enabled = options.Value.CaptureContent && _sinks.Length > 0;
        _queue = new BatchingQueue<CallContent>(options.Value.QueueCapacity, options.Value.BatchSize, WriteAsync);
    }

    /// <summary>Content is captured only when asked for and when something will take it.</summary>
    public bool Enabled { get; }

    /// <summary>Content items refused because the queue was full.</summary>
    public long Dropped => _queue.Dropped;

    public void TryEnqueue(CallContent content) => _queue.TryAdd(content);

    /// <summary>Takes no more content and waits (within the drain timeout) until the sinks have what was queued; once.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _stop ??= StopOnceAsync(cancellationToken);
        }
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        if (_sinks.Length == 0)
        {
            return;
        }

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
            await SinkCall.TryAsync(_logger, sink.GetType().Name, 0, () => sink.FlushAsync(timeout.Token)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>For containers disposed synchronously: the drain runs on the pool, so waiting for it here cannot deadlock.</summary>
    public void Dispose() => StopAsync().GetAwaiter().GetResult();

    private async Task WriteAsync(List<CallContent> batch)
    {
        foreach (var sink in _sinks)
        {
            await SinkCall.TryAsync(_logger, sink.GetType().Name, batch.Count, () => sink.WriteAsync(batch, CancellationToken.None)).ConfigureAwait(false);
        }
    }
}
