using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Claudit.Alerts.Rules;
using Microsoft.Extensions.Logging;

namespace Claudit.Alerts.Notifications;

/// <summary>
/// One notify target's queue: bounded (a full queue drops the message and counts it as failed; the
/// evaluator never waits), drained in order by one loop that POSTs each message and retries failures
/// with exponential back-off (<see cref="NotifyTarget.Backoff"/>, doubling, at most five minutes) up to
/// <see cref="NotifyTarget.MaxAttempts"/>. A 4xx other than 408 and 429 is not retried: resending the
/// same body cannot fix it. In order, so that a resolved message never overtakes its firing one.
/// </summary>
internal sealed class NotificationChannel : IAsyncDisposable
{
    public const int Capacity = 1_000;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    private readonly NotifyTarget _target;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Notification> _queue = Channel.CreateBounded<Notification>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _sent, _failed, _retries, _dropped;

    public NotificationChannel(NotifyTarget target, HttpClient http, TimeProvider time, ILogger logger)
    {
        _target = target;
        _http = http;
        _time = time;
        _logger = logger;
        _loop = Task.Run(DrainAsync);
    }

    public NotifyTarget Target => _target;

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Messages given up on (every attempt failed, or refused for good) or dropped by a full queue.</summary>
    public long Failed => Interlocked.Read(ref _failed) + Interlocked.Read(ref _dropped);

    public long Retries => Interlocked.Read(ref _retries);

    public int Queued => _queue.Reader.Count;

    public void Enqueue(Notification notification)
    {
        if (!_queue.Writer.TryWrite(notification))
        {
            var dropped = Interlocked.Increment(ref _dropped);
            if ((dropped & (dropped - 1)) == 0)
            {
                AlertsLog.DeliveryQueueFull(_logger, _target.Describe(), dropped);
            }
        }
    }

    private async Task DrainAsync()
    {
        try
        {
            await foreach (var notification in _queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                await DeliverAsync(notification).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // stopping: what is still queued is not sent
        }
    }

    private async Task DeliverAsync(Notification notification)
    {
        var wait = _target.Backoff;
        string reason = "";
        for (var attempt = 1; attempt <= _target.MaxAttempts; attempt++)
        {
            var (ok, permanent, why) = await TrySendAsync(notification).ConfigureAwait(false);
            if (ok)
            {
                Interlocked.Increment(ref _sent);
                return;
            }

            reason = why;
            if (permanent || attempt == _target.MaxAttempts)
            {
                Interlocked.Increment(ref _failed);
                AlertsLog.DeliveryFailed(_logger, _target.Describe(), attempt, reason, notification.Rule, notification.Status);
                return;
            }

            Interlocked.Increment(ref _retries);
            await Task.Delay(wait, _time, _stop.Token).ConfigureAwait(false);
            wait = wait * 2 > MaxBackoff ? MaxBackoff : wait * 2;
        }
    }

    private async Task<(bool Ok, bool Permanent, string Reason)> TrySendAsync(Notification notification)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _target.Url) { Content = new ByteArrayContent(notification.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd("claudit-alerts/1");
        foreach (var (name, value) in _target.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return (true, false, "");
            }

            var code = (int)response.StatusCode;
            var permanent = code is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
            return (false, permanent, $"HTTP {code}");
        }
        catch (HttpRequestException ex)
        {
            return (false, false, ex.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!_stop.IsCancellationRequested)
        {
            return (false, false, "timed out");
        }
    }

    /// <summary>Sends what is queued for up to <paramref name="grace"/>, then stops.</summary>
    public async ValueTask StopAsync(TimeSpan grace)
    {
        _queue.Writer.TryComplete();
        await Task.WhenAny(_loop, Task.Delay(grace, TimeProvider.System)).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // a back-off cut short by the stop
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        _stop.Dispose();
    }
}
