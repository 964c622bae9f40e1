using System.Globalization;
using Claudit.Core.Capture;
using StackExchange.Redis;

namespace Claudit.Server.SharedState;

/// <summary>
/// Retry linking across the fleet (docs/scale-out.md): a gateway's failed first attempt is published as
/// <c>claudit:retry:{credential fingerprint}:{model}:{prompt hash}</c> → its record id, expiring with the linker's window,
/// and a retry whose first attempt its own gateway did not see is looked up there. Neither holds a call up: the
/// publication is fire-and-forget, and only a retry unknown locally (attempt ≥ 1, rare) waits — asynchronously, no
/// thread held — at most <see cref="LookupTimeout"/>; a lookup that times out or fails leaves the retry unlinked. While the connection is
/// down no lookup is tried, and after <see cref="StrikesBeforePause"/> unanswered lookups in a row Redis is skipped for
/// <see cref="Pause"/>, so a slow Redis costs a few waits per pause, not one per retry. No key is stored, only its fingerprint.
/// </summary>
public sealed class RedisRetryAttempts(IConnectionMultiplexer redis, TimeProvider time, ILogger logger) : ISharedRetryAttempts
{
    public static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(10);

    public const int StrikesBeforePause = 3;

    private readonly IDatabase _db = redis.GetDatabase();
    private long _skipUntil;
    private int _strikes;

    public void Publish(RetryMatch match, Guid firstAttempt, TimeSpan window)
    {
        try
        {
            _db.StringSet(Key(match), firstAttempt.ToString("N"), window, flags: CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // Redis unreachable: the attempt stays known to this gateway only.
        }
    }

    public async ValueTask<Guid?> FindAsync(RetryMatch match, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected || time.GetTimestamp() < Interlocked.Read(ref _skipUntil))
        {
            return null;
        }

        try
        {
            var value = await _db.StringGetAsync(Key(match)).WaitAsync(LookupTimeout, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _strikes, 0);
            return Guid.TryParseExact(value.ToString(), "N", out var id) ? id : null;
        }
        catch (Exception ex) when (ex is TimeoutException or RedisException)
        {
            // unanswered: the retry stays unlinked
        }

        if (Interlocked.Increment(ref _strikes) >= StrikesBeforePause)
        {
            Volatile.Write(ref _strikes, 0);
            GatewayLog.RetryLookupUnanswered(logger, StrikesBeforePause, LookupTimeout.TotalMilliseconds, Pause.TotalSeconds);
            Interlocked.Exchange(ref _skipUntil, time.GetTimestamp() + (long)(Pause.TotalSeconds * time.TimestampFrequency));
        }

        return null;
    }

    private static RedisKey Key(RetryMatch match) =>
        string.Create(CultureInfo.InvariantCulture, $"claudit:retry:{match.Credential:x16}:{match.Model}:{match.PromptHash}");
}
