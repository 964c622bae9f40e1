using Claudit.Alerts.Evaluation;
using Claudit.Alerts.Notifications;
using StackExchange.Redis;

namespace Claudit.Server.SharedState;

/// <summary>
/// One sender per alert across the fleet (docs/scale-out.md). Every gateway evaluates the rules over its own calls,
/// so the same rule and group can fire on several of them, each with its own alert id; what is one alert to a
/// person is the rule and its group. The first gateway to fire takes the lease <c>claudit:alert:{rule}:{group}</c>
/// (SET NX) and sends the firing notification, its repeats and the resolution, which frees the lease; the others
/// send nothing. The lease expires after <see cref="Hold"/>, so a sender that died does not silence the alert for good.
/// </summary>
public sealed class RedisAlertSendLease(IConnectionMultiplexer redis, string instance) : IAlertSendLease
{
    public static readonly TimeSpan Hold = TimeSpan.FromHours(6);

    // Frees the lease only when this instance holds it.
    private static readonly LuaScript Release = LuaScript.Prepare("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]); return 1 end
        return 0
        """);

    private readonly IDatabase _db = redis.GetDatabase();

    public async ValueTask<bool> TryClaimAsync(AlertTransition transition, CancellationToken cancellationToken)
    {
        try
        {
            return await ClaimAsync(transition).ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // Redis unreachable: every gateway sends (docs/scale-out.md) — a duplicate is better than a silent alert.
            return true;
        }
    }

    private async Task<bool> ClaimAsync(AlertTransition transition)
    {
        var a = transition.Alert;
        RedisKey key = $"claudit:alert:{a.Rule}:{string.Join(',', a.Group.Select(g => $"{g.Key}={g.Value}"))}";
        switch (transition.Event)
        {
            case AlertEvent.Firing:
                return await _db.StringSetAsync(key, instance, Hold, When.NotExists).ConfigureAwait(false);
            case AlertEvent.Resolved:
                return (int)await _db.ScriptEvaluateAsync(Release.ExecutableScript, [key], [instance]).ConfigureAwait(false) == 1;
            default:
                return await _db.StringGetAsync(key).ConfigureAwait(false) == instance;
        }
    }
}
