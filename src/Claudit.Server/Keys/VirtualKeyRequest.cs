using System.Text.RegularExpressions;
using Claudit.Server.Budgets;

namespace Claudit.Server.Keys;

/// <summary>
/// What a new virtual key is to be (<c>claudit keys create</c>, <c>POST /api/keys</c>): its name, the tags its
/// calls carry, the models it may call, its own budget and requests-per-minute limit, when it expires.
/// Field names are the API's; the CLI's flags map onto them.
/// </summary>
public sealed partial record VirtualKeyRequest
{
    public string? Name { get; init; }

    public string? User { get; init; }

    public string? Tenant { get; init; }

    public string? Feature { get; init; }

    public IReadOnlyList<string>? Models { get; init; }

    public decimal? BudgetUsd { get; init; }

    /// <summary>The budget's window (default <c>1d</c>).</summary>
    public string? Window { get; init; }

    public int? Rpm { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The first problem, naming its field as <paramref name="field"/> spells it (flags or JSON names); null when there is none.</summary>
    public string? Problem(DateTimeOffset now, Func<string, string> field)
    {
        if (Name is null || !NamePattern().IsMatch(Name))
        {
            return $"{field("name")} must be 1 to 64 letters, digits or . _ - (it names the key in listings and refusals)";
        }

        if (Name.StartsWith(VirtualKeyFormat.IdPrefix, StringComparison.Ordinal))
        {
            return $"{field("name")} must not start with {VirtualKeyFormat.IdPrefix} (that is how key ids start)";
        }

        if (Models is { } models && models.Any(m => string.IsNullOrWhiteSpace(m)))
        {
            return $"{field("models")} must be model ids separated by commas, without empty ones";
        }

        if (BudgetUsd is <= 0)
        {
            return $"{field("budget_usd")} must be more than 0";
        }

        if (Window is not null && BudgetUsd is null)
        {
            return $"{field("window")} is the window of a budget: give {field("budget_usd")} too";
        }

        if (Window is not null && !PolicyWindow.TryParse(Window, out _))
        {
            return $"{field("window")} must be {PolicyWindow.Forms}, not '{Window}'";
        }

        if (Rpm is < 1)
        {
            return $"{field("rpm")} must be 1 or more";
        }

        return ExpiresAt is { } expires && expires <= now ? $"{field("expires_at")} must be in the future" : null;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
