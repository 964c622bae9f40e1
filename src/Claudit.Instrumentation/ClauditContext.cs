using Claudit.Core.Records;

namespace Claudit.Instrumentation;

/// <summary>
/// Ambient tags for the calls made inside a scope:
/// <c>using (ClauditContext.Tag(user: "u1", feature: "summarise")) { … }</c>. Scopes nest; an inner
/// scope's values override the outer's, and what it leaves null is inherited. The scope flows with
/// the async flow (AsyncLocal), so parallel requests never see each other's tags.
/// </summary>
/// <remarks>
/// Not <c>Claudit.Tag(…)</c>: <c>Claudit</c> is the root namespace, so a type of that name could not
/// be reached as <c>Claudit.Tag</c> from code that uses any Claudit namespace.
/// </remarks>
public static class ClauditContext
{
    private static readonly AsyncLocal<CallTags?> s_current = new();

    /// <summary>The tags of the innermost scope, or null outside any.</summary>
    public static CallTags? Current => s_current.Value;

    public static IDisposable Tag(string? user = null, string? feature = null, string? session = null, string? tenant = null,
        string? conversation = null, IReadOnlyDictionary<string, string>? properties = null)
    {
        var outer = s_current.Value;
        var tags = new CallTags
        {
            User = user ?? outer?.User,
            Feature = feature ?? outer?.Feature,
            Session = session ?? outer?.Session,
            Tenant = tenant ?? outer?.Tenant,
            Conversation = conversation ?? outer?.Conversation,
            Properties = Merge(outer?.Properties, properties),
        };
        s_current.Value = tags;
        return new Scope(outer);
    }

    private static IReadOnlyDictionary<string, string>? Merge(IReadOnlyDictionary<string, string>? outer, IReadOnlyDictionary<string, string>? inner)
    {
        if (outer is null || inner is null)
        {
            return inner ?? outer;
        }

        var merged = new Dictionary<string, string>(outer, StringComparer.Ordinal);
        foreach (var (key, value) in inner)
        {
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>Restores the outer scope's tags; disposing twice is harmless.</summary>
    private sealed class Scope(CallTags? outer) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                s_current.Value = outer;
            }
        }
    }
}
