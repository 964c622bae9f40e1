using System.Globalization;

namespace Claudit.Cli.Demo;

/// <summary>
/// Plans the demo's traffic from a seed: a product with five features used by twenty users of four
/// tenants, in sessions of one to five turns, mostly on Sonnet and Haiku with some Opus, ~40% streamed,
/// with tools, prompt caching (5m and 1h), a few transient faults the retries get past, a mid-stream
/// error and some max_tokens truncations. The same seed and size always give the same plan.
/// </summary>
public static class DemoScenario
{
    public const string Sonnet = "claude-sonnet-4-6";
    public const string Haiku = "claude-haiku-4-5";
    public const string Opus = "claude-opus-4-6";

    private static readonly Feature[] Features =
    [
        // Chat: the busiest feature, long conversations that cache the conversation as it grows.
        new("chat", 0.25, 2, 5, 0.65, [(Sonnet, 0.75), (Haiku, 0.15), (Opus, 0.10)], 1024, "5m", CacheConversation: true, DemoToolUse.None, Experiment: true),
        new("summarise", 0.28, 1, 2, 0.10, [(Haiku, 0.70), (Sonnet, 0.30)], 512, "5m", CacheConversation: false, DemoToolUse.None, Experiment: true),
        new("search", 0.18, 1, 3, 0.40, [(Haiku, 0.50), (Sonnet, 0.50)], 1024, "5m", CacheConversation: false, DemoToolUse.Auto, Experiment: false),
        new("extract", 0.17, 1, 1, 0.00, [(Haiku, 0.80), (Sonnet, 0.20)], 1024, null, CacheConversation: false, DemoToolUse.Forced, Experiment: false),
        // Code review keeps its long guidelines an hour: reviews come in bursts through the day.
        new("code-review", 0.12, 1, 3, 0.50, [(Sonnet, 0.60), (Opus, 0.40)], 2048, "1h", CacheConversation: false, DemoToolUse.Auto, Experiment: false),
    ];

    private static readonly (string Name, string Plan, int Users)[] Tenants =
    [
        ("acme", "enterprise", 7),
        ("globex", "pro", 6),
        ("initech", "free", 4),
        ("umbrella", "pro", 3),
    ];

    /// <summary>Shares of the planned calls that get each fault, and of max_tokens truncations.</summary>
    private const double RateLimitShare = 0.03, OverloadedShare = 0.02, TimeoutShare = 0.01, MidstreamShare = 0.01, TruncationShare = 0.04;

    /// <summary>Below this many calls a share rounds as it falls; from here every kind appears at least once.</summary>
    private const int CallsForFullMix = 20;

    public static IReadOnlyList<string> Models { get; } = [Sonnet, Haiku, Opus];

    public static IReadOnlyList<string> FeatureNames { get; } = [.. Features.Select(f => f.Name)];

    public static DemoPlan Plan(int seed, int calls)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(calls, 1);
        var random = new Random(seed);
        var users = Users();
        var planned = new List<List<DemoCall>>();
        var total = 0;
        while (total < calls)
        {
            var feature = Pick(random, Features, f => f.Weight);
            var (user, tenant, tier) = Pick(random, users, u => u.Weight).Who;
            var turns = Math.Min(random.Next(feature.MinTurns, feature.MaxTurns + 1), calls - total);
            var model = Pick(random, feature.Models, m => m.Weight).Model;
            var session = "s-" + Hex(random, 12);
            var conversation = "conv-" + Hex(random, 12);
            var experiment = feature.Experiment ? (random.Next(2) == 0 ? "prompt-v1" : "prompt-v2") : null;
            var stream = random.NextDouble() < feature.StreamShare;
            var list = new List<DemoCall>(turns);
            for (var turn = 0; turn < turns; turn++)
            {
                list.Add(new DemoCall
                {
                    Index = total + turn,
                    Session = session,
                    Conversation = conversation,
                    Turn = turn,
                    User = user,
                    Tenant = tenant,
                    Feature = feature.Name,
                    Model = model,
                    // An app streams a feature one way; now and then a turn differs (a retry path, a background job).
                    Stream = random.NextDouble() < 0.9 ? stream : !stream,
                    MaxTokens = feature.MaxTokens,
                    SystemCacheTtl = feature.CacheTtl,
                    CacheConversation = feature.CacheConversation,
                    Tools = feature.Tools,
                    UserText = DemoPrompts.UserText(feature.Name, turn, random),
                    PlanTier = tier,
                    Experiment = experiment,
                    TraceId = Hex(random, 32),
                });
            }

            planned.Add(list);
            total += turns;
        }

        AddFaults(random, planned, calls);
        return new DemoPlan(seed, [.. planned.Select(s => new DemoSession(s[0].Session, s))]);
    }

    /// <summary>
    /// Faults and truncations go to distinct calls chosen by the seed, in fixed shares rather than by chance
    /// per call, so that even a short run shows every kind (a test of 60 calls can count on them).
    /// </summary>
    private static void AddFaults(Random random, List<List<DemoCall>> sessions, int calls)
    {
        var order = Enumerable.Range(0, calls).ToArray();
        random.Shuffle(order);
        var next = 0;
        var byIndex = sessions.SelectMany(s => s.Select((c, i) => (Session: s, Position: i))).ToArray();

        void Assign(double share, Func<DemoCall, bool> eligible, Func<DemoCall, int, DemoCall> change)
        {
            var quota = calls >= CallsForFullMix ? Math.Max(1, (int)Math.Round(calls * share)) : (int)Math.Round(calls * share);
            for (var taken = 0; taken < quota && next < order.Length;)
            {
                // Skip calls that do not fit (a mid-stream error needs a stream) without losing them for the kinds after.
                var at = Array.FindIndex(order, next, i => eligible(byIndex[i].Session[byIndex[i].Position]));
                if (at < 0)
                {
                    return;
                }

                (order[next], order[at]) = (order[at], order[next]);
                var (session, position) = byIndex[order[next++]];
                session[position] = change(session[position], taken++);
            }
        }

        // The first kinds take the first slots of the shuffled order, so each call gets at most one.
        Assign(MidstreamShare, c => c.Stream, (c, _) => c with { Fault = "midstream_error", FaultAttempts = 1 });
        // Every third rate-limited call is refused twice: its third attempt (x-stainless-retry-count: 2) gets through.
        Assign(RateLimitShare, _ => true, (c, n) => c with { Fault = "rate_limit", FaultAttempts = n % 3 == 2 ? 2 : 1 });
        Assign(OverloadedShare, _ => true, (c, _) => c with { Fault = "overloaded", FaultAttempts = 1 });
        Assign(TimeoutShare, _ => true, (c, _) => c with { Fault = "timeout", FaultAttempts = 1 });
        // A max_tokens far below any answer: the reply is cut with stop_reason max_tokens.
        Assign(TruncationShare, _ => true, (c, _) => c with { MaxTokens = random.Next(8, 17) });
    }

    private static (double Weight, (string User, string Tenant, string Tier) Who)[] Users()
    {
        var users = new List<(double, (string, string, string))>();
        foreach (var (tenant, tier, count) in Tenants)
        {
            for (var i = 1; i <= count; i++)
            {
                // A few heavy users and a long tail, as in any product.
                users.Add((1.0 / Math.Pow(i, 0.9), ($"{tenant}-u{i.ToString("00", CultureInfo.InvariantCulture)}", tenant, tier)));
            }
        }

        return [.. users];
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items, Func<T, double> weight)
    {
        var roll = random.NextDouble() * items.Sum(weight);
        foreach (var item in items)
        {
            if ((roll -= weight(item)) < 0)
            {
                return item;
            }
        }

        return items[^1];
    }

    private static string Hex(Random random, int length)
    {
        Span<byte> bytes = stackalloc byte[length / 2];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private sealed record Feature(
        string Name,
        double Weight,
        int MinTurns,
        int MaxTurns,
        double StreamShare,
        (string Model, double Weight)[] Models,
        int MaxTokens,
        string? CacheTtl,
        bool CacheConversation,
        DemoToolUse Tools,
        bool Experiment);
}
