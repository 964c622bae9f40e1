using Claudit.Core.Records;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// The values of a rule's group_by labels for one call (at most three; null: the call has no such tag).
/// A struct compared by value: looking a call's group up allocates nothing.
/// </summary>
public readonly struct GroupKey : IEquatable<GroupKey>
{
    private readonly string? _a, _b, _c;

    public GroupKey(string? a, string? b = null, string? c = null) => (_a, _b, _c) = (a, b, c);

    public string? this[int i] => i switch { 0 => _a, 1 => _b, 2 => _c, _ => throw new ArgumentOutOfRangeException(nameof(i)) };

    public static GroupKey Of(CallRecord record, CallDimension[] dimensions) => dimensions.Length switch
    {
        0 => default,
        1 => new(Value(record, dimensions[0])),
        2 => new(Value(record, dimensions[0]), Value(record, dimensions[1])),
        _ => new(Value(record, dimensions[0]), Value(record, dimensions[1]), Value(record, dimensions[2])),
    };

    /// <summary>A call's value of a dimension: the billed model, a tag, the session (else the conversation), the API path.</summary>
    public static string? Value(CallRecord record, CallDimension dimension) => dimension switch
    {
        CallDimension.Model => record.PricedModel,
        CallDimension.Feature => record.Tags.Feature,
        CallDimension.User => record.Tags.User,
        CallDimension.Tenant => record.Tags.Tenant,
        CallDimension.Session => record.Tags.Session ?? record.Tags.Conversation,
        _ => record.Endpoint,
    };

    /// <summary>The label name a dimension has in rules, groups and messages: <c>model</c>, <c>feature</c>, …</summary>
    public static string Label(CallDimension dimension) => dimension switch
    {
        CallDimension.Model => "model",
        CallDimension.Feature => "feature",
        CallDimension.User => "user",
        CallDimension.Tenant => "tenant",
        CallDimension.Session => "session",
        _ => "endpoint",
    };

    /// <summary>(label, value) pairs in the rule's order.</summary>
    public KeyValuePair<string, string?>[] Labels(IReadOnlyList<CallDimension> dimensions)
    {
        var labels = new KeyValuePair<string, string?>[dimensions.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = new(Label(dimensions[i]), this[i]);
        }

        return labels;
    }

    /// <summary>The key of stored labels, when they are the rule's labels in its order; false when the rule's group_by changed since.</summary>
    public static bool TryFromLabels(IReadOnlyList<KeyValuePair<string, string?>> labels, IReadOnlyList<CallDimension> dimensions, out GroupKey key)
    {
        key = default;
        if (labels.Count != dimensions.Count)
        {
            return false;
        }

        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i].Key != Label(dimensions[i]))
            {
                return false;
            }
        }

        key = new GroupKey(labels.Count > 0 ? labels[0].Value : null, labels.Count > 1 ? labels[1].Value : null, labels.Count > 2 ? labels[2].Value : null);
        return true;
    }

    public bool Equals(GroupKey other) =>
        string.Equals(_a, other._a, StringComparison.Ordinal) && string.Equals(_b, other._b, StringComparison.Ordinal) && string.Equals(_c, other._c, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is GroupKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);

    public static bool operator ==(GroupKey left, GroupKey right) => left.Equals(right);

    public static bool operator !=(GroupKey left, GroupKey right) => !left.Equals(right);
}
