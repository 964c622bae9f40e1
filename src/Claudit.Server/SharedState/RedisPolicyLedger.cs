using System.Globalization;
using Claudit.Server.Budgets;
using StackExchange.Redis;

namespace Claudit.Server.SharedState;

/// <summary>
/// The budgets' and rate limits' counters shared by every gateway through Redis (docs/scale-out.md): one hash per
/// policy and scope (<c>claudit:ledger:{policy}:{scope}</c>) holding each window bucket's used (<c>u:BUCKET</c>) and
/// reserved (<c>r:BUCKET</c>) amounts, and one set of the scopes per policy. Each operation is one Lua script, so a
/// reservation over several counters is all or nothing across the fleet, as <see cref="InProcessPolicyLedger"/> is
/// within one process. Amounts are integers of 10⁻⁹ (Lua's numbers are doubles: exact to 2⁵³, i.e. 9,007,199 USD
/// per counter). The window rules themselves — what a bucket is, when a counter has room again — stay in
/// <see cref="PolicyWindow"/> and <see cref="WindowCounter"/>: the scripts return the buckets and C# judges dates.
/// </summary>
public sealed class RedisPolicyLedger(IConnectionMultiplexer redis) : IPolicyLedger
{
    private const decimal Scale = 1_000_000_000m;

    // KEYS: one counter hash per claim, then the scope sets. ARGV: n, then per claim: first bucket, current bucket,
    // limit, amount, mode (0 room, 1 strict, 2 track), ttl seconds, scope. Admitted: {-1, used1, reserved1, …} as
    // each counter was before; refused: {index, field, value, …}, the refused counter's buckets.
    private static readonly LuaScript Reserve = LuaScript.Prepare("""
        local n = tonumber(ARGV[1])
        local function totals(key, first)
          local flat = redis.call('HGETALL', key)
          local used, reserved, buckets = 0, 0, {}
          for i = 1, #flat, 2 do
            local kind, b = string.sub(flat[i], 1, 1), tonumber(string.sub(flat[i], 3))
            if b < first then redis.call('HDEL', key, flat[i]) else
              local v = tonumber(flat[i + 1])
              if kind == 'u' then used = used + v else reserved = reserved + v end
              buckets[#buckets + 1] = flat[i]; buckets[#buckets + 1] = flat[i + 1]
            end
          end
          return used, reserved, buckets
        end
        local before = {-1}
        for c = 1, n do
          local a = 2 + (c - 1) * 7
          local first, limit, amount, mode = tonumber(ARGV[a]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
          local used, reserved, buckets = totals(KEYS[c], first)
          before[#before + 1] = tostring(used); before[#before + 1] = tostring(reserved)
          local committed = used + reserved
          local fits = (mode == 2) or (mode == 1 and committed + amount <= limit) or (mode == 0 and committed < limit)
          if not fits then
            local out = {c - 1}
            for i = 1, #buckets do out[#out + 1] = buckets[i] end
            return out
          end
        end
        for c = 1, n do
          local a = 2 + (c - 1) * 7
          redis.call('HINCRBY', KEYS[c], 'r:' .. ARGV[a + 1], ARGV[a + 3])
          redis.call('EXPIRE', KEYS[c], ARGV[a + 5])
          redis.call('SADD', KEYS[n + c], ARGV[a + 6])
          redis.call('EXPIRE', KEYS[n + c], ARGV[a + 5])
        end
        return before
        """);

    // KEYS: counter hashes. ARGV: n, then per claim: bucket, first bucket now, reserved amount, used amount.
    private static readonly LuaScript Adjust = LuaScript.Prepare("""
        local n = tonumber(ARGV[1])
        for c = 1, n do
          local a = 2 + (c - 1) * 4
          if tonumber(ARGV[a]) >= tonumber(ARGV[a + 1]) then
            redis.call('HINCRBY', KEYS[c], 'r:' .. ARGV[a], -tonumber(ARGV[a + 2]))
            if tonumber(ARGV[a + 3]) ~= 0 then redis.call('HINCRBY', KEYS[c], 'u:' .. ARGV[a], ARGV[a + 3]) end
          end
        end
        return 0
        """);

    /// <summary>The state of a hold admitted while Redis could not be reached: nothing to give back when it settles.</summary>
    private static readonly object Unreserved = new();

    private readonly IDatabase _db = redis.GetDatabase();

    public async ValueTask<LedgerOutcome> ReserveAsync(LedgerClaim[] claims, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var keys = new RedisKey[claims.Length * 2];
        var args = new List<RedisValue>(1 + (claims.Length * 7)) { claims.Length };
        for (var i = 0; i < claims.Length; i++)
        {
            var c = claims[i];
            keys[i] = CounterKey(c.Policy, c.Scope);
            keys[claims.Length + i] = ScopesKey(c.Policy);
            args.Add(c.Window.FirstBucket(now));
            args.Add(c.Window.BucketOf(now));
            args.Add(ToUnits(c.Limit));
            args.Add(ToUnits(c.Amount));
            args.Add(c.Mode switch { ClaimMode.Strict => 1, ClaimMode.Track => 2, _ => 0 });
            args.Add((long)(c.Window.Length.TotalSeconds * 2) + 60);
            args.Add(c.Scope);
        }

        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await _db.ScriptEvaluateAsync(Reserve.ExecutableScript, keys, [.. args]).ConfigureAwait(false))!;
        }
        catch (RedisException)
        {
            // Redis unreachable: budgets fail open (docs/scale-out.md) — the call goes out, reserving nothing; its
            // settlement still counts what it used once Redis answers again.
            return LedgerOutcome.Admit(new LedgerHold(claims, now, Unreserved), new CounterTotals[claims.Length]);
        }

        var refused = (int)result[0];
        if (refused < 0)
        {
            // Each counter just before this call (for warnings), read inside the script: after it, other calls would count too.
            var before = new CounterTotals[claims.Length];
            for (var i = 0; i < claims.Length; i++)
            {
                before[i] = new CounterTotals(FromUnits(result[1 + (2 * i)]), FromUnits(result[2 + (2 * i)]));
            }

            return LedgerOutcome.Admit(new LedgerHold(claims, now), before);
        }

        var claim = claims[refused];
        var counter = Counter(claim.Window, result.Skip(1).Select(r => (string)r!).ToArray());
        var current = claim.Window.BucketOf(now);
        return LedgerOutcome.Refuse(refused, counter.Totals(current), counter.RoomAt(current, claim.Limit, claim.Amount, claim.Mode == ClaimMode.Strict));
    }

    public ValueTask SettleAsync(LedgerHold hold, LedgerAmounts used) => AdjustAsync(hold, used);

    public ValueTask ReleaseAsync(LedgerHold hold) => AdjustAsync(hold, null);

    private async ValueTask AdjustAsync(LedgerHold hold, LedgerAmounts? used)
    {
        var now = DateTimeOffset.UtcNow;
        var keys = new RedisKey[hold.Claims.Count];
        var args = new List<RedisValue>(1 + (keys.Length * 4)) { keys.Length };
        for (var i = 0; i < keys.Length; i++)
        {
            var c = hold.Claims[i];
            keys[i] = CounterKey(c.Policy, c.Scope);
            args.Add(c.Window.BucketOf(hold.ReservedAt));
            args.Add(c.Window.FirstBucket(now < hold.ReservedAt ? hold.ReservedAt : now));
            args.Add(ReferenceEquals(hold.LedgerState, Unreserved) ? 0 : ToUnits(c.Amount));
            args.Add(used is { } u ? ToUnits(u.In(c.Unit)) : 0);
        }

        await _db.ScriptEvaluateAsync(Adjust.ExecutableScript, keys, [.. args]).ConfigureAwait(false);
    }

    public async ValueTask<ScopeTotals[]> ScopesAsync(string policy, PolicyWindow window, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var scopes = await _db.SetMembersAsync(ScopesKey(policy)).ConfigureAwait(false);
        var list = new List<ScopeTotals>(scopes.Length);
        foreach (var scope in scopes.Select(s => (string)s!).Order(StringComparer.Ordinal))
        {
            var fields = await _db.HashGetAllAsync(CounterKey(policy, scope)).ConfigureAwait(false);
            var counter = Counter(window, [.. fields.SelectMany(f => new[] { (string)f.Name!, (string)f.Value! })]);
            var totals = counter.Totals(now);
            if (!counter.IsEmpty)
            {
                list.Add(new ScopeTotals(scope, totals, counter.NextDrop(now)));
            }
        }

        return [.. list];
    }

    public async ValueTask RestoreAsync(string policy, string scope, PolicyWindow window, long bucket, decimal used, CancellationToken cancellationToken = default)
    {
        // A bucket another gateway already counts keeps its count: the fleet's count is live, the store's may lag.
        var key = CounterKey(policy, scope);
        await _db.HashSetAsync(key, $"u:{bucket.ToString(CultureInfo.InvariantCulture)}", ToUnits(used), When.NotExists).ConfigureAwait(false);
        await _db.KeyExpireAsync(key, TimeSpan.FromSeconds((window.Length.TotalSeconds * 2) + 60)).ConfigureAwait(false);
        await _db.SetAddAsync(ScopesKey(policy), scope).ConfigureAwait(false);
    }

    /// <summary>A counter of this process's kind over the buckets a script returned (<c>u:B</c> / <c>r:B</c>, value), so the window's rules judge it.</summary>
    private static WindowCounter Counter(PolicyWindow window, string[] flat)
    {
        var counter = new WindowCounter(window);
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            var bucket = long.Parse(flat[i].AsSpan(2), CultureInfo.InvariantCulture);
            var amount = long.Parse(flat[i + 1], CultureInfo.InvariantCulture) / Scale;
            counter.Add(bucket, flat[i][0] == 'u' ? amount : 0, flat[i][0] == 'r' ? amount : 0);
        }

        return counter;
    }

    private static RedisKey CounterKey(string policy, string scope) => $"claudit:ledger:{policy}:{scope}";

    private static RedisKey ScopesKey(string policy) => $"claudit:ledger-scopes:{policy}";

    private static long ToUnits(decimal amount) => (long)decimal.Ceiling(amount * Scale);

    private static decimal FromUnits(RedisResult value) => decimal.Parse((string)value!, NumberStyles.Float, CultureInfo.InvariantCulture) / Scale;
}
