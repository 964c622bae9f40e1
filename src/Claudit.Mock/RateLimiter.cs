namespace Claudit.Mock;

/// <summary>
/// The organisation's rate limits as token buckets refilled continuously, like Anthropic's: the
/// <c>remaining</c> headers fall as traffic flows and climb back over time.
/// </summary>
internal sealed class RateLimiter
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Bucket _requests, _input, _output;
    private readonly bool _enforced;

    public RateLimiter(RateLimitSettings settings, TimeProvider time)
    {
        _time = time;
        _enforced = settings.Enforced;
        var now = time.GetUtcNow();
        _requests = new Bucket(settings.RequestsPerMinute, now);
        _input = new Bucket(settings.InputTokensPerMinute, now);
        _output = new Bucket(settings.OutputTokensPerMinute, now);
    }

    /// <summary>Takes one request and its input tokens; false (with the wait) when a bucket cannot pay.</summary>
    public bool TryAcquire(long inputTokens, long expectedOutputTokens, out TimeSpan retryAfter)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _requests.Refill(now);
            _input.Refill(now);
            _output.Refill(now);
            var wait = Max(_requests.WaitFor(1), Max(_input.WaitFor(inputTokens), _output.WaitFor(Math.Min(expectedOutputTokens, _output.Limit))));
            if (wait > TimeSpan.Zero && _enforced)
            {
                retryAfter = wait;
                return false;
            }

            _requests.Take(1);
            _input.Take(inputTokens);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>Output is charged once known, as the real API settles it after the answer.</summary>
    public void ChargeOutput(long outputTokens)
    {
        lock (_gate)
        {
            _output.Take(outputTokens);
        }
    }

    public void WriteHeaders(IHeaderWriter headers)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _requests.Refill(now);
            _input.Refill(now);
            _output.Refill(now);
            Write(headers, "requests", _requests.Limit, _requests.Remaining, _requests.FullAt(now));
            Write(headers, "input-tokens", _input.Limit, _input.Remaining, _input.FullAt(now));
            Write(headers, "output-tokens", _output.Limit, _output.Remaining, _output.FullAt(now));
            Write(headers, "tokens", _input.Limit + _output.Limit, _input.Remaining + _output.Remaining, Max(_input.FullAt(now), _output.FullAt(now)));
        }
    }

    private static void Write(IHeaderWriter headers, string dimension, long limit, long remaining, DateTimeOffset reset)
    {
        headers.Set($"anthropic-ratelimit-{dimension}-limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        headers.Set($"anthropic-ratelimit-{dimension}-remaining", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture));
        headers.Set($"anthropic-ratelimit-{dimension}-reset", reset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static T Max<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b;

    private sealed class Bucket(long limit, DateTimeOffset now)
    {
        private double _level = limit;
        private DateTimeOffset _at = now;

        public long Limit { get; } = limit;

        public long Remaining => (long)Math.Floor(Math.Max(0, _level));

        private double PerSecond => Limit / 60.0;

        public void Refill(DateTimeOffset now)
        {
            if (now > _at)
            {
                _level = Math.Min(Limit, _level + ((now - _at).TotalSeconds * PerSecond));
                _at = now;
            }
        }

        public TimeSpan WaitFor(long amount) =>
            amount <= _level ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Ceiling((amount - _level) / PerSecond));

        // Unenforced buckets never go below zero, so the headers stay meaningful.
        public void Take(long amount) => _level = Math.Max(-Limit, _level - amount);

        public DateTimeOffset FullAt(DateTimeOffset now) => now + TimeSpan.FromSeconds(Math.Ceiling((Limit - Math.Max(0, _level)) / PerSecond));
    }
}

/// <summary>Where rate-limit headers go (the HTTP response, or a dictionary in tests).</summary>
internal interface IHeaderWriter
{
    void Set(string name, string value);
}
