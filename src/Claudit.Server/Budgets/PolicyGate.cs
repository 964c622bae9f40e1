using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;

namespace Claudit.Server.Budgets;

/// <summary>
/// Decides, before a Messages call is forwarded, whether its policies let it through (docs/budgets.md): each
/// policy that counts the call claims the call's worst case — USD priced by the one pricing engine from the
/// request (<see cref="WorstCaseRequest"/>), one request, or the worst case's tokens — and the ledger reserves
/// every claim at once or refuses. Refused: a 429 naming the policy, counted in
/// <c>claude_requests_blocked_total</c>. Admitted: the reservation rides with the call to the finisher.
/// </summary>
internal sealed class PolicyGate(PolicyBook book, IPolicyLedger ledger, CostCalculator pricing, PolicyMetrics metrics, ILogger logger)
{
    public bool HasFilePolicies => book.File.Count > 0;

    public async ValueTask<PolicyDecision> AdmitAsync(MessageRequestInfo request, WorstCaseRequest worst, PolicyScopes call, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var own = call.Key?.Policies ?? [];
        var candidates = book.File.Count + own.Count;
        if (candidates == 0)
        {
            return PolicyDecision.None;
        }

        var usd = pricing.TryPriceWorstCase(request, worst, out var price) ? price : 0m;
        var policies = new Policy[candidates];
        var claims = new LedgerClaim[candidates];
        var n = 0;
        for (var i = 0; i < candidates; i++)
        {
            var policy = i < book.File.Count ? book.File.Policies[i] : own[i - book.File.Count];
            if (call.ValueOf(policy.Scope) is { } scope && call.Matches(policy.Match))
            {
                policies[n] = policy;
                claims[n++] = new LedgerClaim(policy.Name, scope, policy.Window, policy.Unit, policy.Limit, Amount(policy.Unit, usd, worst), Mode(policy));
            }
        }

        if (n == 0)
        {
            return PolicyDecision.None;
        }

        if (n < candidates)
        {
            Array.Resize(ref claims, n);
        }

        var outcome = await ledger.ReserveAsync(claims, now, cancellationToken).ConfigureAwait(false);
        if (!outcome.Admitted)
        {
            var refused = policies[outcome.RefusedClaim];
            metrics.Blocked(refused.Name);
            var message = PolicyMessages.Refused(refused, claims[outcome.RefusedClaim], outcome.Totals, outcome.ResetsAt, call.Key);
            var type = refused.Kind == PolicyKind.Budget ? ErrorTypes.BudgetExceeded : ErrorTypes.RateLimitedByPolicy;
            return new PolicyDecision(new GatewayRefusal(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, type, message)
            {
                Policy = refused.Name,
                RetryAfterSeconds = Math.Max(1, (long)Math.Ceiling((outcome.ResetsAt - now).TotalSeconds)),
            }, null, null);
        }

        string? warning = null;
        for (var i = 0; i < n; i++)
        {
            if (outcome.Before[i].Committed >= policies[i].Limit * policies[i].WarnAt)
            {
                var entry = PolicyMessages.Warning(policies[i], outcome.Before[i]);
                warning = warning is null ? entry : warning + ", " + entry;
            }
        }

        return new PolicyDecision(null, new PolicySettlement(ledger, outcome.Hold!, logger), warning);
    }

    private static decimal Amount(PolicyUnit unit, decimal usd, in WorstCaseRequest worst) => unit switch
    {
        PolicyUnit.Usd => usd,
        PolicyUnit.Requests => 1,
        _ => worst.TotalTokens,
    };

    private static ClaimMode Mode(Policy policy) =>
        policy.Action == PolicyAction.Warn ? ClaimMode.Track : policy.Strict ? ClaimMode.Strict : ClaimMode.Room;
}
