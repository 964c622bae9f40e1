namespace Claudit.Core.Reconcile;

/// <summary>
/// One line of a reconciliation: a UTC bucket (its start), the billed model and the service tier. A record
/// without a tier is a standard-tier call, as the API bills it.
/// </summary>
public readonly record struct ReconcileKey(DateTimeOffset Bucket, string Model, string ServiceTier) : IComparable<ReconcileKey>
{
    public const string StandardTier = "standard";

    public int CompareTo(ReconcileKey other)
    {
        var byTime = Bucket.CompareTo(other.Bucket);
        if (byTime != 0)
        {
            return byTime;
        }

        var byModel = string.CompareOrdinal(Model, other.Model);
        return byModel != 0 ? byModel : string.CompareOrdinal(ServiceTier, other.ServiceTier);
    }
}

/// <summary>What one side says for one <see cref="ReconcileKey"/>.</summary>
public readonly record struct ReconcileCell(ReconcileKey Key, ReconcileAmounts Amounts);
