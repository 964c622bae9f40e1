namespace Claudit.Server.Budgets;

/// <summary>What <c>/api/budgets</c> answers (docs/api.md#get-apibudgets): every policy in force now.</summary>
internal sealed record BudgetsReport(DateTimeOffset Now, PolicyView[] Policies);

/// <summary>
/// One policy: its definition, its fullest scope's counter (used, reserved, ratio), when it resets, and the
/// top spenders inside it — the scope's values (or, for a global policy, users) with the most recorded usage
/// in the window, each with its amount in the policy's unit and its share of the limit.
/// </summary>
internal sealed record PolicyView(
    string Name,
    string Kind,
    string Scope,
    Dictionary<string, string>? Match,
    string Window,
    string Action,
    string Reserve,
    string Unit,
    decimal Limit,
    decimal Used,
    decimal Reserved,
    double Ratio,
    string? ScopeValue,
    int Scopes,
    DateTimeOffset WindowStart,
    DateTimeOffset? ResetsAt,
    SpenderView[] Top);

/// <summary>One of a policy's top spenders: a scope value (a user, a key's id …) and, for keys, the key's name.</summary>
internal sealed record SpenderView(string Scope, string? Name, decimal Amount, double Share, decimal CostUsd, long Requests, long Tokens);
