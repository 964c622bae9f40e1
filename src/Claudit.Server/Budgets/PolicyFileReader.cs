using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Claudit.Store.Usage;

namespace Claudit.Server.Budgets;

/// <summary>
/// The policy file's JSON, field by field (docs/budgets.md#the-policy-file). Anything it does not know is
/// an error rather than ignored — a misspelt <c>limit_usd</c> must not leave a budget without a limit —
/// and every error names the file, the policy (its place and name) and the field.
/// </summary>
internal static partial class PolicyFileReader
{
    private const string KeyPolicyPrefix = "key:";
    private static readonly string[] BudgetFields = ["name", "scope", "match", "limit_usd", "window", "action", "reserve", "warn_at"];
    private static readonly string[] RateFields = ["name", "scope", "match", "requests", "tokens", "window", "action", "reserve", "warn_at"];
    private static readonly string[] MatchFields = ["key", "user", "tenant", "feature", "model"];

    public static List<Policy> Read(JsonElement root, string origin)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFileException($"{origin}: must be a JSON object with \"budgets\" and/or \"rate_limits\" arrays");
        }

        var policies = new List<Policy>();
        foreach (var property in root.EnumerateObject())
        {
            var kind = property.Name switch
            {
                "budgets" => PolicyKind.Budget,
                "rate_limits" => PolicyKind.RateLimit,
                _ => throw new PolicyFileException($"{origin}: unknown field '{property.Name}' (expected \"budgets\" and \"rate_limits\")"),
            };
            if (property.Value.ValueKind != JsonValueKind.Array)
            {
                throw new PolicyFileException($"{origin}: \"{property.Name}\" must be an array");
            }

            var i = 0;
            foreach (var entry in property.Value.EnumerateArray())
            {
                policies.Add(ReadPolicy(entry, kind, new Where(origin, $"{property.Name}[{i++}]")));
            }
        }

        return policies;
    }

    private static Policy ReadPolicy(JsonElement e, PolicyKind kind, Where at)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw at.Error("must be an object");
        }

        var name = e.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw at.Error("needs a \"name\" (a string)");
        if (!NamePattern().IsMatch(name))
        {
            throw at.Error($"name '{name}' must be 1 to 64 letters, digits or . _ : - (it labels metrics and headers)");
        }

        if (name.StartsWith(KeyPolicyPrefix, StringComparison.Ordinal))
        {
            throw at.Error($"name '{name}' must not start with {KeyPolicyPrefix}: that names the own budget and rate limit of a virtual key");
        }

        at = at with { Name = name };
        var known = kind == PolicyKind.Budget ? BudgetFields : RateFields;
        foreach (var field in e.EnumerateObject())
        {
            if (!known.Contains(field.Name))
            {
                throw at.Error($"unknown field '{field.Name}' (a {(kind == PolicyKind.Budget ? "budget" : "rate limit")} has {string.Join(", ", known)})");
            }
        }

        var scope = Text(e, "scope", at) is { } scopeText
            ? ParseScope(scopeText) ?? throw at.Error($"scope must be one of global, key, user, tenant, feature, model, not '{scopeText}'")
            : throw at.Error("needs a \"scope\" (global, key, user, tenant, feature or model)");
        var windowText = Text(e, "window", at) ?? throw at.Error($"needs a \"window\": {PolicyWindow.Forms}");
        if (!PolicyWindow.TryParse(windowText, out var window))
        {
            throw at.Error($"window must be {PolicyWindow.Forms}, not '{windowText}'");
        }

        var action = Text(e, "action", at) switch
        {
            null or "block" => PolicyAction.Block,
            "warn" => PolicyAction.Warn,
            var other => throw at.Error($"action must be block or warn, not '{other}'"),
        };
        var strict = Text(e, "reserve", at) switch
        {
            null or "default" => false,
            "strict" => true,
            var other => throw at.Error($"reserve must be strict (admit a call only if its worst case fits) or default, not '{other}'"),
        };
        var warnAt = Number(e, "warn_at", at) ?? 0.8m;
        if (warnAt is <= 0 or > 1)
        {
            throw at.Error($"warn_at must be a share of the limit above 0 and at most 1, not {warnAt.ToString(CultureInfo.InvariantCulture)}");
        }

        var (unit, limit) = kind == PolicyKind.Budget ? (PolicyUnit.Usd, BudgetLimit(e, at)) : RateLimit(e, at);
        return new Policy(name, kind, scope, ReadMatch(e, at), unit, limit, window, action, strict, warnAt);
    }

    private static decimal BudgetLimit(JsonElement e, Where at) =>
        Number(e, "limit_usd", at) is { } usd
            ? usd > 0 ? usd : throw at.Error($"limit_usd must be more than 0, not {usd.ToString(CultureInfo.InvariantCulture)}")
            : throw at.Error("needs \"limit_usd\" (USD per window, e.g. 5 or 2.50)");

    private static (PolicyUnit, decimal) RateLimit(JsonElement e, Where at)
    {
        var requests = Number(e, "requests", at);
        var tokens = Number(e, "tokens", at);
        if (requests is not null == tokens is not null)
        {
            throw at.Error("needs exactly one of \"requests\" or \"tokens\" (a whole number per window)");
        }

        var (unit, field, value) = requests is { } r ? (PolicyUnit.Requests, "requests", r) : (PolicyUnit.Tokens, "tokens", tokens!.Value);
        return value >= 1 && decimal.Truncate(value) == value
            ? (unit, value)
            : throw at.Error($"{field} must be a whole number of 1 or more, not {value.ToString(CultureInfo.InvariantCulture)}");
    }

    private static ScopeMatch ReadMatch(JsonElement e, Where at)
    {
        if (!e.TryGetProperty("match", out var m) || m.ValueKind == JsonValueKind.Null)
        {
            return ScopeMatch.Any;
        }

        if (m.ValueKind != JsonValueKind.Object)
        {
            throw at.Error("match must be an object, e.g. {\"tenant\": \"acme\"}");
        }

        var match = ScopeMatch.Any;
        foreach (var field in m.EnumerateObject())
        {
            if (!MatchFields.Contains(field.Name))
            {
                throw at.Error($"match has an unknown field '{field.Name}' (it may name {string.Join(", ", MatchFields)})");
            }

            if (field.Value.ValueKind != JsonValueKind.String || field.Value.GetString() is not { Length: > 0 } value)
            {
                throw at.Error($"match.{field.Name} must be a non-empty string");
            }

            match = field.Name switch
            {
                "key" => match with { Key = value },
                "user" => match with { User = value },
                "tenant" => match with { Tenant = value },
                "feature" => match with { Feature = value },
                _ => match with { Model = value },
            };
        }

        return match;
    }

    public static UsageScope? ParseScope(string text) => text switch
    {
        "global" => UsageScope.Global,
        "key" => UsageScope.Key,
        "user" => UsageScope.User,
        "tenant" => UsageScope.Tenant,
        "feature" => UsageScope.Feature,
        "model" => UsageScope.Model,
        _ => null,
    };

    private static string? Text(JsonElement e, string field, Where at) =>
        !e.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw at.Error($"{field} must be a string");

    private static decimal? Number(JsonElement e, string field, Where at) =>
        !e.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d) ? d
        : throw at.Error($"{field} must be a number");

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex NamePattern();

    /// <summary>Where an error is: the file, the entry's place, and its name once known.</summary>
    private readonly record struct Where(string Origin, string Path, string? Name = null)
    {
        public PolicyFileException Error(string problem) =>
            new($"{Origin}: {Path}{(Name is null ? "" : $" '{Name}'")}: {problem}");
    }
}
