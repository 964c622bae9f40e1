using System.Diagnostics;
using System.Globalization;
using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Mock;

namespace Claudit.Cli.Demo;

/// <summary>
/// Plays a <see cref="DemoPlan"/> against a base URL (the gateway, or the mock itself) the way an
/// application on an Anthropic SDK would: plain HTTP with JSON bodies, <c>x-api-key</c>,
/// <c>anthropic-version</c> and <c>x-stainless-retry-count</c>; Claudit's tag headers; the turns of a
/// session one after the other, each carrying the replies before it; 408/409/429/5xx and connection
/// failures retried with the same body after a backoff (honouring <c>retry-after</c>). Sessions run
/// <see cref="DemoTrafficOptions.Concurrency"/> at a time.
/// </summary>
public sealed class DemoTraffic
{
    private const string AnthropicVersion = "2023-06-01";
    private readonly DemoPlan _plan;
    private readonly DemoTrafficOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, int> _byStatus = [];
    private readonly Dictionary<string, int> _byError = new(StringComparer.Ordinal);
    private int _callsDone, _attempts, _retries, _succeeded, _failed, _streamed, _toolUse, _maxTokens, _cacheReads;
    private long _input, _cacheWrite, _cacheRead, _output;

    public DemoTraffic(DemoPlan plan, DemoTrafficOptions? options = null)
    {
        _plan = plan;
        _options = options ?? new DemoTrafficOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Concurrency, 1);
    }

    /// <summary>Calls finished so far (after their retries): for progress displays.</summary>
    public int CallsDone => Volatile.Read(ref _callsDone);

    /// <summary>HTTP requests sent so far, retries included.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public int CallsPlanned => _plan.Calls.Count;

    public async Task<DemoSummary> RunAsync(Uri baseAddress, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = _options.Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseAddress,
            Timeout = _options.RequestTimeout,
        };
        return await RunAsync(http, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the plan with <paramref name="http"/>, whose base address is where calls go.</summary>
    public async Task<DemoSummary> RunAsync(HttpClient http, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var nextSession = -1;
        var canceled = false;

        async Task WorkAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref nextSession)) < _plan.Sessions.Count)
            {
                await RunSessionAsync(http, _plan.Sessions[index], cancellationToken).ConfigureAwait(false);
            }
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Min(_options.Concurrency, _plan.Sessions.Count)).Select(_ => Task.Run(WorkAsync, CancellationToken.None))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            canceled = true;
        }

        lock (_gate)
        {
            return new DemoSummary
            {
                CallsPlanned = _plan.Calls.Count,
                CallsSucceeded = _succeeded,
                CallsFailed = _failed,
                Attempts = _attempts,
                Retries = _retries,
                AttemptsByStatus = new SortedDictionary<int, int>(_byStatus),
                ErrorsByType = new SortedDictionary<string, int>(_byError, StringComparer.Ordinal),
                StreamedCalls = _streamed,
                ToolUseReplies = _toolUse,
                MaxTokensStops = _maxTokens,
                CacheReadReplies = _cacheReads,
                InputTokens = _input,
                CacheWriteTokens = _cacheWrite,
                CacheReadTokens = _cacheRead,
                OutputTokens = _output,
                Elapsed = clock.Elapsed,
                Canceled = canceled,
            };
        }
    }

    private async Task RunSessionAsync(HttpClient http, DemoSession session, CancellationToken ct)
    {
        var conversation = new DemoConversation();
        foreach (var call in session.Calls)
        {
            ct.ThrowIfCancellationRequested();
            conversation.AddUser(call);
            var body = conversation.RequestBody(call);
            var reply = await SendWithRetriesAsync(http, call, body, ct).ConfigureAwait(false);
            if (reply is { Usable: true })
            {
                conversation.AddAssistant(reply);
            }
            else
            {
                conversation.DropLastUser();
            }

            Interlocked.Increment(ref _callsDone);
        }
    }

    private async Task<DemoReply?> SendWithRetriesAsync(HttpClient http, DemoCall call, string body, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (status, reply, retryAfter) = await SendOnceAsync(http, call, body, attempt, ct).ConfigureAwait(false);
            var retryable = status is 0 or 408 or 409 or 429 or >= 500;
            if (retryable && attempt < _options.MaxRetries)
            {
                var wait = retryAfter ?? _options.RetryBaseDelay * Math.Pow(2, attempt);
                await Task.Delay(wait < _options.MaxRetryDelay ? wait : _options.MaxRetryDelay, ct).ConfigureAwait(false);
                continue;
            }

            Finish(call, status, reply);
            return reply;
        }
    }

    private async Task<(int Status, DemoReply? Reply, TimeSpan? RetryAfter)> SendOnceAsync(HttpClient http, DemoCall call, string body, int attempt, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var headers = request.Headers;
        headers.Add("x-api-key", _options.ApiKey);
        headers.Add("anthropic-version", AnthropicVersion);
        headers.Add(RateLimitHeaders.RetryCount, attempt.ToString(CultureInfo.InvariantCulture));
        headers.UserAgent.ParseAdd("claudit-demo/0.1");
        headers.Add("Claudit-User", call.User);
        headers.Add("Claudit-Tenant", call.Tenant);
        headers.Add("Claudit-Feature", call.Feature);
        headers.Add("Claudit-Session", call.Session);
        headers.Add("Claudit-Conversation", call.Conversation);
        if (call.PlanTier is not null)
        {
            headers.Add("Claudit-Property-Plan", call.PlanTier);
        }

        if (call.Experiment is not null)
        {
            headers.Add("Claudit-Property-Experiment", call.Experiment);
        }

        // Every attempt is a new span of the call's trace.
        headers.Add("traceparent", $"00-{call.TraceId}-{call.TraceId[..14]}{attempt:x2}-01");
        if (call.Fault is not null && attempt < call.FaultAttempts)
        {
            headers.Add(MockFaults.Header, call.Fault);
        }

        Interlocked.Increment(ref _attempts);
        if (attempt > 0)
        {
            Interlocked.Increment(ref _retries);
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var isStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
            var reply = isStream ? DemoReply.FromStream(bytes) : DemoReply.FromJson(bytes);
            var retryAfter = RateLimitHeaders.RetryAfterSeconds(Header(response, RateLimitHeaders.RetryAfterMs), Header(response, RateLimitHeaders.RetryAfter), DateTimeOffset.UtcNow);
            Count(status, reply.ErrorType ?? (status >= 400 ? $"http_{status}" : !reply.Complete ? ErrorTypes.StreamTruncated : null));
            return (status, reply, retryAfter is { } s ? TimeSpan.FromSeconds(s) : null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            // No answer, or one cut off: the SDKs retry these as connection errors.
            Count(0, ex is TaskCanceledException ? ErrorTypes.TransportTimeout : ErrorTypes.Connection);
            return (0, null, null);
        }
    }

    private void Count(int status, string? error)
    {
        lock (_gate)
        {
            _byStatus[status] = _byStatus.GetValueOrDefault(status) + 1;
            if (error is not null)
            {
                _byError[error] = _byError.GetValueOrDefault(error) + 1;
            }
        }
    }

    private void Finish(DemoCall call, int status, DemoReply? reply)
    {
        lock (_gate)
        {
            var ok = status is >= 200 and < 300 && reply is { ErrorType: null, Complete: true };
            if (ok)
            {
                _succeeded++;
            }
            else
            {
                _failed++;
            }

            _streamed += call.Stream ? 1 : 0;
            if (reply?.Usage is { } usage)
            {
                _input += usage.InputTokens;
                _cacheWrite += usage.CacheCreationInputTokens;
                _cacheRead += usage.CacheReadInputTokens;
                _output += usage.OutputTokens;
                _cacheReads += usage.CacheReadInputTokens > 0 ? 1 : 0;
            }

            _toolUse += reply?.ToolUseIds.Count > 0 ? 1 : 0;
            _maxTokens += reply?.StopReason == "max_tokens" ? 1 : 0;
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
