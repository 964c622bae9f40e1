namespace Claudit.Mock;

/// <summary>
/// The dimensions the Admin usage report can group and filter by (reference §2.1), for one call:
/// the model as the Models API names it, service tier, api key id (null for Console usage), workspace
/// (null = default), context window (<c>0-200k</c> | <c>200k-1M</c>), inference geo, OAuth account, speed.
/// The mock has no service accounts, so <c>service_account_id</c> is always null.
/// </summary>
internal readonly record struct UsageKey(
    string Model, string ServiceTier, string? ApiKeyId, string? WorkspaceId, string ContextWindow, string InferenceGeo, string? AccountId, string Speed)
{
    /// <summary>The value of a report dimension by its API name; null for dimensions the mock does not model.</summary>
    public string? this[string dimension] => dimension switch
    {
        "model" => Model,
        "service_tier" => ServiceTier,
        "api_key_id" => ApiKeyId,
        "workspace_id" => WorkspaceId,
        "context_window" => ContextWindow,
        "inference_geo" => InferenceGeo,
        "account_id" => AccountId,
        "speed" => Speed,
        // The analytics API's actor: the key that authenticated the call, else the OAuth user (names inferred).
        "actor" => ApiKeyId ?? AccountId,
        "actor_type" => ApiKeyId is not null ? "api_key" : AccountId is not null ? "user" : null,
        _ => null,
    };
}
