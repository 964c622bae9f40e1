namespace Claudit.Server.Budgets;

/// <summary>How a claim is admitted against its counter.</summary>
public enum ClaimMode
{
    /// <summary>Admitted while the counter (used + reserved) is below the limit: the default of a <c>block</c> policy.</summary>
    Room,

    /// <summary>Admitted only if the claim's whole amount fits under the limit (<c>"reserve": "strict"</c>).</summary>
    Strict,

    /// <summary>Never refused, only counted (a <c>warn</c> policy).</summary>
    Track,
}
