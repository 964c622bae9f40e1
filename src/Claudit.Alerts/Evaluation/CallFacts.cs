using Claudit.Core.Anthropic;
using Claudit.Core.Records;

namespace Claudit.Alerts.Evaluation;

/// <summary>What the catalogue's metrics ask of one record, answered the same way for every rule.</summary>
internal static class CallFacts
{
    public static bool RateLimited(CallRecord r) => r.Error?.Type == ErrorTypes.RateLimit || r.HttpStatus == 429;

    /// <summary>The transport's timeout or the API's <c>timeout_error</c>.</summary>
    public static bool TimedOut(CallRecord r) => r.Error?.Type is ErrorTypes.TransportTimeout or ErrorTypes.Timeout;

    public static bool Truncated(CallRecord r) => r.StopReason == "max_tokens";

    public static double Cost(CallRecord r) => r.Cost is { Priced: true } c ? (double)c.TotalUsd : 0;

    /// <summary>The smallest remaining/limit share among the rate limits the response reported; null when it reported none.</summary>
    public static double? Headroom(RateLimitSnapshot? limits)
    {
        if (limits is null)
        {
            return null;
        }

        double? least = null;
        Share(limits.RequestsRemaining, limits.RequestsLimit, ref least);
        Share(limits.TokensRemaining, limits.TokensLimit, ref least);
        Share(limits.InputTokensRemaining, limits.InputTokensLimit, ref least);
        Share(limits.OutputTokensRemaining, limits.OutputTokensLimit, ref least);
        return least;

        static void Share(long? remaining, long? limit, ref double? least)
        {
            if (remaining is { } r && limit is > 0 and var l)
            {
                var share = (double)r / l;
                least = least is { } x ? Math.Min(x, share) : share;
            }
        }
    }

    /// <summary>A conversation: its conversation tag, else its session tag.</summary>
    public static string? Conversation(CallRecord r) => r.Tags.Conversation ?? r.Tags.Session;
}
