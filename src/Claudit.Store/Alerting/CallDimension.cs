namespace Claudit.Store.Alerting;

/// <summary>
/// A label a call can be grouped or filtered by, with the record field it comes from: the billed model
/// (<c>CallRecord.PricedModel</c>), the feature, user and tenant tags, the session (its session tag, else
/// its conversation tag) and the API path. The alert rules' <c>group_by</c> names these.
/// </summary>
public enum CallDimension
{
    Model,
    Feature,
    User,
    Tenant,
    Session,
    Endpoint,
}
