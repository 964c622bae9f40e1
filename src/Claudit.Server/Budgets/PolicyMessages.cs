using System.Globalization;
using Claudit.Server.Keys;
using Claudit.Store.Usage;

namespace Claudit.Server.Budgets;

/// <summary>
/// The words of a refusal, as the issue spells them: <c>Claudit budget 'user-daily' for user u-42 is used up:
/// $5.00 of $5.00 today; resets 2026-12-01T00:00:00Z</c>. Amounts are the counter's used plus reserved (what
/// the call was judged against), so they can pass the limit by what calls in flight hold.
/// </summary>
internal static class PolicyMessages
{
    public static string Refused(Policy policy, in LedgerClaim claim, CounterTotals totals, DateTimeOffset resetsAt, VirtualKey? key)
    {
        var what = policy.Kind == PolicyKind.Budget ? "budget" : "rate limit";
        var head = $"Claudit {what} '{policy.Name}'{For(policy.Scope, claim.Scope, key)}";
        var unit = policy.Unit switch { PolicyUnit.Usd => "", PolicyUnit.Requests => " requests", _ => " tokens" };
        var limit = $"{Value(policy, policy.Limit)}{unit}";
        var resets = $"resets {resetsAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}";
        if (totals.Committed >= policy.Limit)
        {
            var verb = policy.Kind == PolicyKind.Budget ? "is used up" : "is reached";
            return $"{head} {verb}: {Value(policy, totals.Committed)} of {limit} {policy.Window.Describe()}; {resets}";
        }

        // Only a strict policy refuses with room left: the call's worst case did not fit in it.
        return $"{head} has {Value(policy, policy.Limit - totals.Committed)} of {limit} left {policy.Window.Describe()}, "
            + $"less than this call's worst case of {Value(policy, claim.Amount)}{unit}; {resets}";
    }

    /// <summary>The warning header's entry for one policy: its name and how full it is, <c>user-daily 83%</c>.</summary>
    public static string Warning(Policy policy, CounterTotals totals) =>
        $"{policy.Name} {Math.Floor(totals.Committed / policy.Limit * 100).ToString("0", CultureInfo.InvariantCulture)}%";

    private static string For(UsageScope scope, string value, VirtualKey? key) => scope switch
    {
        UsageScope.Global => "",
        UsageScope.Key => $" for key {key?.Name ?? value}",
        UsageScope.User => $" for user {value}",
        UsageScope.Tenant => $" for tenant {value}",
        UsageScope.Feature => $" for feature {value}",
        _ => $" for model {value}",
    };

    /// <summary>USD with cents (4 decimals when the limit is under a dollar), or a whole count.</summary>
    private static string Value(Policy policy, decimal value) => policy.Unit == PolicyUnit.Usd
        ? "$" + value.ToString(policy.Limit >= 1 ? "F2" : "F4", CultureInfo.InvariantCulture)
        : decimal.Ceiling(value).ToString("N0", CultureInfo.InvariantCulture);
}
