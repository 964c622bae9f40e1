using Claudit.Server.Dashboard;
using Claudit.Server.Keys;
using Claudit.Store.Usage;

namespace Claudit.Server.Budgets;

/// <summary>
/// <c>GET /api/budgets</c>: every policy in force, with its live counter from the ledger (<see cref="IBudgetStatus"/>)
/// and its top spenders from the store (recorded calls in the current window; see <see cref="Spenders"/>). The
/// dashboard's Budgets view and its Overview badge read it.
/// </summary>
internal static class BudgetsEndpoint
{
    public const string Path = "/api/budgets";

    public const int TopSpenders = 5;

    public static void Map(IEndpointRouteBuilder app, IBudgetStatus status, IScopeUsageQueries store, VirtualKeyRing keys, TimeProvider time)
    {
        app.MapGet(Path, async (HttpContext context) =>
        {
            if (UnknownParameters.Refuse(context, ["top"]) is { } refused)
            {
                return refused;
            }

            // top=0 skips the store's top spenders (the Overview's badge needs only the counters).
            var topText = context.Request.Query["top"].ToString();
            var top = TopSpenders;
            if (topText.Length > 0 && (!int.TryParse(topText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out top) || top > 100))
            {
                return Results.Json(new IngestError($"top must be a whole number from 0 to 100, not '{topText}'"), ServerJsonContext.Default.IngestError, statusCode: StatusCodes.Status400BadRequest);
            }

            var now = time.GetUtcNow();
            var statuses = await status.GetStatusAsync(context.RequestAborted).ConfigureAwait(false);
            var views = new List<PolicyView>(statuses.Count);
            foreach (var s in statuses)
            {
                views.Add(await ViewAsync(s, store, keys, now, top, context.RequestAborted).ConfigureAwait(false));
            }

            return Results.Json(new BudgetsReport(now, [.. views]), DashboardJsonContext.Default.BudgetsReport);
        });
    }

    private static async Task<PolicyView> ViewAsync(PolicyStatus s, IScopeUsageQueries store, VirtualKeyRing keys, DateTimeOffset now, int topN, CancellationToken cancellationToken)
    {
        var p = s.Policy;
        var spenders = Spenders(p);
        ScopeUsage[] rows = topN == 0 ? [] : await store.QueryScopeUsageAsync(new ScopeUsageQuery
        {
            Since = p.Window.Start(now),
            Scope = spenders,
            Match = p.Match,
            Top = topN,
            Order = p.Unit switch { PolicyUnit.Usd => UsageOrder.Cost, PolicyUnit.Requests => UsageOrder.Requests, _ => UsageOrder.Tokens },
        }, cancellationToken).ConfigureAwait(false);
        var top = rows.Select(r =>
        {
            var amount = p.Unit switch { PolicyUnit.Usd => r.CostUsd, PolicyUnit.Requests => r.Requests, _ => r.Tokens };
            return new SpenderView(r.Scope ?? "", spenders == UsageScope.Key ? keys.NameOf(r.Scope ?? "") : null, amount, (double)(amount / p.Limit), r.CostUsd, r.Requests, r.Tokens);
        }).ToArray();
        return new PolicyView(
            p.Name,
            p.Kind == PolicyKind.Budget ? "budget" : "rate_limit",
            p.Scope.ToString().ToLowerInvariant(),
            Match(p.Match),
            p.Window.Text,
            p.Action == PolicyAction.Block ? "block" : "warn",
            p.Strict ? "strict" : "default",
            p.UnitName,
            p.Limit,
            s.Used,
            s.Reserved,
            s.Ratio,
            s.Scope,
            s.Scopes,
            p.Window.Start(now),
            s.ResetsAt,
            top);
    }

    /// <summary>
    /// Who a policy's top spenders are: the values it counts per (users, keys …); or, when it counts one value
    /// only (global, or its match names the one tenant, feature … it counts), the users inside it.
    /// </summary>
    private static UsageScope Spenders(Policy p) => p.Scope switch
    {
        UsageScope.Global => UsageScope.User,
        UsageScope.Tenant when p.Match.Tenant is not null => UsageScope.User,
        UsageScope.Feature when p.Match.Feature is not null => UsageScope.User,
        UsageScope.Key when p.Match.Key is not null => UsageScope.User,
        _ => p.Scope,
    };

    private static Dictionary<string, string>? Match(ScopeMatch m)
    {
        if (m.IsAny)
        {
            return null;
        }

        var match = new Dictionary<string, string>(StringComparer.Ordinal);
        Add("key", m.Key);
        Add("user", m.User);
        Add("tenant", m.Tenant);
        Add("feature", m.Feature);
        Add("model", m.Model);
        return match;

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                match[name] = value;
            }
        }
    }
}
