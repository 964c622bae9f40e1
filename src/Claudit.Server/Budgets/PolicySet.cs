using System.Text.Json;
using Claudit.Store.Usage;

namespace Claudit.Server.Budgets;

/// <summary>
/// The budgets and rate limits a gateway enforces, as read from a policy file (<c>claudit serve --policies
/// FILE</c>, docs/budgets.md#the-policy-file) or the <c>Claudit:Policies</c> section of appsettings.json.
/// Names are unique: they label metrics and name the policy in a refusal.
/// </summary>
public sealed class PolicySet
{
    /// <summary>The name <c>--daily-budget</c>'s policy takes: a global, calendar-day, warn-only budget.</summary>
    public const string DailyBudgetName = "daily-budget";

    private PolicySet(IReadOnlyList<Policy> policies)
    {
        Policies = policies;
    }

    public static PolicySet Empty { get; } = new([]);

    public IReadOnlyList<Policy> Policies { get; }

    public int Count => Policies.Count;

    public static PolicySet Of(params IReadOnlyList<Policy> policies) => Checked(policies, "policies");

    /// <summary>Reads a policy file; <paramref name="origin"/> (its path) starts every error message.</summary>
    public static PolicySet Parse(ReadOnlySpan<byte> utf8Json, string origin)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            using var document = JsonDocument.ParseValue(ref reader);
            return FromJson(document.RootElement, origin);
        }
        catch (JsonException ex)
        {
            throw new PolicyFileException($"{origin}: not valid JSON ({ex.Message})", ex);
        }
    }

    /// <summary>Policies written inline as a JSON object (appsettings.json's <c>Claudit:Policies</c>).</summary>
    public static PolicySet FromJson(JsonElement root, string origin) => Checked(PolicyFileReader.Read(root, origin), origin);

    public static PolicySet Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PolicyFileException($"cannot read the policy file {path}: {ex.Message}", ex);
        }

        return Parse(bytes, path);
    }

    /// <summary>These policies and <c>--daily-budget</c>'s, a global <c>1d</c> <c>warn</c> budget named <see cref="DailyBudgetName"/>.</summary>
    public PolicySet WithDailyBudget(decimal usd) =>
        Checked([.. Policies, new Policy(DailyBudgetName, PolicyKind.Budget, UsageScope.Global, ScopeMatch.Any, PolicyUnit.Usd, usd, PolicyWindow.Day, PolicyAction.Warn)], "--daily-budget");

    private static PolicySet Checked(IReadOnlyList<Policy> policies, string origin)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            if (!names.Add(policy.Name))
            {
                throw new PolicyFileException($"{origin}: two policies are named '{policy.Name}': names must be unique");
            }
        }

        return new PolicySet(policies);
    }
}
