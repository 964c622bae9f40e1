using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Claudit.Core.Capture;
using Claudit.Core.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Claudit.Instrumentation;

/// <summary>
/// The hub between the calls and the sinks. The request path only tags a call when it starts
/// (<see cref="StartTags"/>) and <see cref="Submit"/>s its record when it ends: the record goes on one
/// bounded channel (full → dropped and counted, never waited for), and one loop hands batches to
/// every sink. The loop starts with the host (<see cref="ClauditRecorderService"/>) or with the
/// first record, whichever comes first; <see cref="StopAsync"/> drains what is queued.
/// </summary>
public sealed class ClauditRecorder : IAsyncDisposable, IDisposable
{
    private static readonly CallTags s_firstAttempt = new() { Attempt = 0 };
    private readonly Channel<CallRecord> _queue;
    private readonly IClauditSink[] _sinks;
    private readonly IClauditEnricher[] _enrichers;
    private readonly IClauditContentSink[] _contentSinks;
    private readonly Channel<CallContent> _content;
    private readonly ClauditTelemetry? _telemetry;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task? _loop;
    private Task? _contentLoop;
    private Task? _stop;
    private long _submitted, _dropped, _written, _sinkFailures, _contentDropped;

    public ClauditRecorder(ClauditOptions options, IEnumerable<IClauditSink> sinks, IEnumerable<IClauditEnricher>? enrichers = null,
        IMeterFactory? meters = null, ILogger<ClauditRecorder>? logger = null, IEnumerable<IClauditContentSink>? contentSinks = null)
    {
        _contentSinks = [.. contentSinks ?? []];
        _content = Channel.CreateBounded<CallContent>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        Options = options;
        _sinks = [.. sinks];
        _enrichers = [.. enrichers ?? []];
        _telemetry = options.EmitTelemetry ? new ClauditTelemetry(meters) : null;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        Retries = new RetryLinker(options.TimeProvider);
        _queue = Channel.CreateBounded<CallRecord>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            // Wait, not DropWrite: with DropWrite, TryWrite reports success for the record it drops, so
            // drops could not be counted. Submit never waits: it uses TryWrite, which fails when full.
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ClauditOptions Options { get; }

    /// <summary>Links SDK retries to their first attempt when no chat middleware names the logical call.</summary>
    internal RetryLinker Retries { get; }

    internal bool HasSinks => _sinks.Length > 0;

    /// <summary>Content is captured only when asked for and when something will take it.</summary>
    internal bool CapturesContent => Options.CaptureContent && _contentSinks.Length > 0;

    /// <summary>Content items refused because their queue was full.</summary>
    public long ContentDropped => Interlocked.Read(ref _contentDropped);

    /// <summary>Records accepted onto the queue.</summary>
    public long Submitted => Interlocked.Read(ref _submitted);

    /// <summary>Records refused because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records handed to every sink.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Batches a sink failed to take (the other sinks still got them).</summary>
    public long SinkFailures => Interlocked.Read(ref _sinkFailures);

    /// <summary>
    /// The tags of a call starting now, on the caller's flow: the ambient <see cref="ClauditContext"/>
    /// scope, then the chat middleware's, the W3C trace context of <see cref="Activity.Current"/>, the
    /// SDK attempt number, and finally the enrichers.
    /// </summary>
    internal CallTags StartTags(int? attempt, ChatCallMarker? chat, Activity? activity)
    {
        var tags = ClauditContext.Current ?? CallTags.Empty;
        if (ReferenceEquals(tags, CallTags.Empty) && chat is null && activity is null && attempt == 0 && _enrichers.Length == 0)
        {
            return s_firstAttempt; // the common untagged first attempt, without an allocation
        }

        if (chat is not null)
        {
            tags = Overlay(tags, chat.Tags);
        }

        if (activity is not null || attempt is not null)
        {
            tags = tags with
            {
                TraceId = activity?.TraceId.ToHexString() ?? tags.TraceId,
                SpanId = activity?.SpanId.ToHexString() ?? tags.SpanId,
                Attempt = attempt,
            };
        }

        foreach (var enricher in _enrichers)
        {
            tags = enricher.Enrich(tags);
        }

        return tags;
    }

    /// <summary>The middleware's tags over the ambient scope's: the closer to the call wins.</summary>
    private static CallTags Overlay(CallTags outer, CallTags inner) => outer == CallTags.Empty ? inner : outer with
    {
        User = inner.User ?? outer.User,
        Tenant = inner.Tenant ?? outer.Tenant,
        Feature = inner.Feature ?? outer.Feature,
        Session = inner.Session ?? outer.Session,
        Conversation = inner.Conversation ?? outer.Conversation,
        Properties = inner.Properties ?? outer.Properties,
    };

    /// <summary>A finished call: its telemetry now, its record to the sinks later. Never blocks.</summary>
    internal void Finish(CallRecord record, Activity? sdkSpan, string? serverAddress, int? serverPort)
    {
        _telemetry?.Record(record, sdkSpan, serverAddress, serverPort);
        Submit(record);
    }

    /// <summary>Queues a record for the sinks; a full queue drops it and counts it.</summary>
    public void Submit(CallRecord record)
    {
        if (_sinks.Length == 0)
        {
            return;
        }

        if (_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _submitted);
            if (_loop is null)
            {
                Start();
            }
        }
        else
        {
            var dropped = Interlocked.Increment(ref _dropped);
            if ((dropped & (dropped - 1)) == 0)
            {
                ClauditLog.QueueFull(_logger, dropped);
            }
        }
    }

    /// <summary>Queues redacted content for the content sinks; never blocks.</summary>
    internal void SubmitContent(CallContent content)
    {
        if (!_content.Writer.TryWrite(content))
        {
            Interlocked.Increment(ref _contentDropped);
            return;
        }

        if (_contentLoop is null)
        {
            Start();
        }
    }

    /// <summary>Starts the loops that feed the sinks (idempotent).</summary>
    public void Start()
    {
        lock (_gate)
        {
            _loop ??= Task.Run(() => DrainAsync(_queue.Reader, WriteRecordsAsync));
            _contentLoop ??= _contentSinks.Length == 0 ? Task.CompletedTask : Task.Run(() => DrainAsync(_content.Reader, WriteContentAsync));
        }
    }

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
        Start();
        _queue.Writer.TryComplete();
        _content.Writer.TryComplete();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.DrainTimeout);
        try
        {
            await Task.WhenAll(_loop!, _contentLoop!).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ClauditLog.DrainTimedOut(_logger, _queue.Reader.Count);
            return;
        }

        foreach (var sink in _sinks.Cast<object>().Concat(_contentSinks))
        {
            try
            {
                await (sink is IClauditSink s ? s.FlushAsync(timeout.Token) : ((IClauditContentSink)sink).FlushAsync(timeout.Token)).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // one sink's failure must not keep the others from flushing
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _sinkFailures);
                ClauditLog.SinkFailed(_logger, sink.GetType().Name, 0, ex.Message);
            }
        }
    }

    /// <summary>One loop per queue: wait for items, take up to a batch, hand it over, repeat until completed.</summary>
    private async Task DrainAsync<T>(ChannelReader<T> reader, Func<List<T>, Task> write)
    {
        var batch = new List<T>(Math.Max(1, Options.BatchSize));
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < Options.BatchSize && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await write(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task WriteRecordsAsync(List<CallRecord> batch)
    {
        foreach (var sink in _sinks)
        {
            await WriteOneAsync(sink.GetType().Name, batch.Count, () => sink.WriteAsync(batch, CancellationToken.None)).ConfigureAwait(false);
        }

        Interlocked.Add(ref _written, batch.Count);
    }

    private async Task WriteContentAsync(List<CallContent> batch)
    {
        foreach (var sink in _contentSinks)
        {
            await WriteOneAsync(sink.GetType().Name, batch.Count, () => sink.WriteAsync(batch, CancellationToken.None)).ConfigureAwait(false);
        }
    }

    private async Task WriteOneAsync(string sink, int count, Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a failing sink is counted and logged; the loop and the other sinks go on
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _sinkFailures);
            ClauditLog.SinkFailed(_logger, sink, count, ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _telemetry?.Dispose();
    }

    /// <summary>For containers disposed synchronously: the drain runs on the pool, so waiting for it here cannot deadlock.</summary>
    public void Dispose()
    {
        StopAsync().GetAwaiter().GetResult();
        _telemetry?.Dispose();
    }
}
