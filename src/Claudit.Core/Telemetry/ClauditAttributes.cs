namespace Claudit.Core.Telemetry;

/// <summary>Span attributes Claudit adds beside the GenAI conventions' own.</summary>
public static class ClauditAttributes
{
    public const string CostUsd = "claudit.cost_usd";
    public const string CallId = "claudit.call.id";
    public const string RequestId = "claudit.request_id";
    public const string User = "claudit.user";
    public const string Tenant = "claudit.tenant";
    public const string Feature = "claudit.feature";
    public const string Session = "claudit.session";
    public const string Attempt = "claudit.attempt";
    public const string ParentId = "claudit.parent_id";

    /// <summary>The record's endpoint kind (<c>messages</c>, <c>count_tokens</c>, <c>batch_result</c>, …).</summary>
    public const string EndpointKind = "claudit.endpoint";

    /// <summary>The Message Batch id, on batch calls and batch results.</summary>
    public const string BatchId = "claudit.batch.id";
}
