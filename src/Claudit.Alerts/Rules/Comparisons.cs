namespace Claudit.Alerts.Rules;

/// <summary>The names comparisons have in the rules file, the store and messages.</summary>
public static class Comparisons
{
    public static string Name(AlertComparison comparison) => comparison switch
    {
        AlertComparison.Above => "above",
        AlertComparison.AtLeast => "at_least",
        _ => "below",
    };

    /// <summary>As a message says it: <c>&gt;</c>, <c>≥</c>, <c>&lt;</c>.</summary>
    public static string Symbol(string name) => name switch
    {
        "above" => ">",
        "at_least" => "≥",
        _ => "<",
    };
}
