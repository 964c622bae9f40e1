using Claudit.Core.Records;

namespace Claudit.Core.Reporting;

/// <summary>
/// Which endpoint kinds a report or a dashboard view covers: <c>billable</c> (the default: messages and
/// batch results, what Anthropic bills by the token), <c>all</c>, or one kind of <see cref="EndpointKinds"/>.
/// </summary>
public static class EndpointScope
{
    public const string Billable = "billable";
    public const string All = "all";

    /// <summary>The values <c>--endpoint</c> and <c>endpoint=</c> take.</summary>
    public static string Choices { get; } = $"{Billable}, {All}, " + string.Join(", ", EndpointKinds.All);

    /// <summary>The scope as written (case-insensitive), null for the default, or false when it is none of <see cref="Choices"/>.</summary>
    public static bool TryParse(string? text, out string? scope)
    {
        scope = null;
        if (string.IsNullOrWhiteSpace(text) || string.Equals(text.Trim(), Billable, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(text.Trim(), All, StringComparison.OrdinalIgnoreCase))
        {
            scope = All;
            return true;
        }

        scope = EndpointKinds.Parse(text);
        return scope is not null;
    }

    public static IReadOnlyList<string> Kinds(string? scope) =>
        scope switch
        {
            null or Billable => EndpointKinds.Billable,
            All => EndpointKinds.All,
            _ => [scope],
        };

    public static bool Includes(string? scope, string kind) =>
        scope switch
        {
            null or Billable => EndpointKinds.IsBillable(kind),
            All => true,
            _ => string.Equals(scope, kind, StringComparison.Ordinal),
        };
}
