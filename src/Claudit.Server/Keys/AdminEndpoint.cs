namespace Claudit.Server.Keys;

/// <summary>
/// Endpoint metadata marking an administrative endpoint (<c>/api/keys</c>). Today every <c>/api</c> path is
/// guarded alike (loopback, or the access token); an access scheme with roles requires its <c>admin</c> role
/// on the endpoints that carry this.
/// </summary>
public sealed class AdminEndpoint
{
    public static AdminEndpoint Instance { get; } = new();

    private AdminEndpoint()
    {
    }
}
