namespace Claudit.Alerts.Rules;

/// <summary>How a rule's value is compared with its threshold: the key that gives it in the rules file.</summary>
public enum AlertComparison
{
    /// <summary><c>above</c>: value &gt; threshold.</summary>
    Above,

    /// <summary><c>at_least</c>: value ≥ threshold (e.g. "any 429": at least 1).</summary>
    AtLeast,

    /// <summary><c>below</c>: value &lt; threshold (headroom, cache hit rate).</summary>
    Below,
}
