namespace Claudit.Store.ReadModel;

/// <summary>What a breakdown groups calls by.</summary>
public enum BreakdownKey
{
    /// <summary>The model used, else requested.</summary>
    Model,
    Feature,
    User,
    Tenant,
}
