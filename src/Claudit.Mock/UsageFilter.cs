namespace Claudit.Mock;

/// <summary>A report's filters: for each filtered dimension, the values kept. A dimension the mock does not model (null) matches no value.</summary>
internal sealed class UsageFilter(IReadOnlyDictionary<string, HashSet<string>> allowed)
{
    public bool Matches(UsageKey key)
    {
        foreach (var (dimension, values) in allowed)
        {
            if (key[dimension] is not { } value || !values.Contains(value))
            {
                return false;
            }
        }

        return true;
    }
}
