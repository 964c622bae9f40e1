namespace Claudit.Server.Access;

/// <summary>What a token may do (docs/gateway.md#security).</summary>
public enum AccessRole
{
    /// <summary>The dashboard, the <c>/api</c> queries, <c>claudit report --server</c> and <c>/metrics</c>.</summary>
    Read,

    /// <summary>Calls through the <c>/v1</c> proxy and records sent to <c>/api/ingest</c>.</summary>
    Ingest,

    /// <summary>Everything.</summary>
    Admin,
}
