using Claudit.Core.Reporting;

namespace Claudit.Server.Access;

/// <summary>
/// Who a request is, once its token (or login session) is known: a name for the logs, a role, and
/// optionally tenants — <see cref="Tenants"/> for a reader, who then sees only those tenants' calls;
/// <see cref="Tenant"/> for a sender, whose every call and record is that tenant's whatever its headers say.
/// </summary>
public sealed record AccessGrant(string Name, AccessRole Role)
{
    /// <summary>A gateway without tokens (loopback only): everyone may do everything.</summary>
    public static AccessGrant Unrestricted { get; } = new("anonymous", AccessRole.Admin);

    /// <summary>Read tokens only: the tenants whose calls this token sees; null sees every call.</summary>
    public IReadOnlySet<string>? Tenants { get; init; }

    /// <summary>Ingest tokens only: the tenant every call and record sent with this token is recorded under.</summary>
    public string? Tenant { get; init; }

    public bool Can(AccessRole needed) => Role == AccessRole.Admin || Role == needed;

    /// <summary>The filter narrowed to what this token may see: enforced by the store's queries, not afterwards.</summary>
    public RecordFilter Scope(RecordFilter filter) => Tenants is null ? filter : filter with { AllowedTenants = Tenants };

    /// <summary>The grant <see cref="AccessMiddleware"/> gave this request; unrestricted when the gateway has no tokens.</summary>
    public static AccessGrant Of(HttpContext context) => context.Features.Get<AccessGrant>() ?? Unrestricted;

    public string Describe() => Role switch
    {
        AccessRole.Read when Tenants is not null => $"{Name} (read: {string.Join(", ", Tenants.Order(StringComparer.Ordinal))})",
        AccessRole.Ingest when Tenant is not null => $"{Name} (ingest as {Tenant})",
        _ => $"{Name} ({Role.ToString().ToLowerInvariant()})",
    };
}
