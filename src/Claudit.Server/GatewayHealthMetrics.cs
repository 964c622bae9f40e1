using System.Diagnostics;
using System.Diagnostics.Metrics;
using Claudit.Alerts;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Core.Telemetry;
using Claudit.Store.Alerting;

namespace Claudit.Server;

/// <summary>
/// The gateway's own health on the <c>Claudit</c> meter, beside the per-call series (docs/gateway.md,
/// "Health metrics"): records journaled, stored and dropped (by stage), queue depths, store lag, alert
/// notifications sent and failed, alerts firing, and upstream errors — what deploy/prometheus alerts on
/// (drops, store lag, notification failures). Read from the queue's and the alert service's counters
/// when scraped; only upstream errors are counted as records pass (<see cref="Observe"/>, off the request path).
/// </summary>
internal sealed class GatewayHealthMetrics
{
    private readonly Counter<long> _upstreamErrors;
    private JournalRecordQueue? _records;
    private StoreApplier? _applier;
    private AlertService? _alerts;

    public GatewayHealthMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(CallTelemetry.MeterName);
        _upstreamErrors = meter.CreateCounter<long>("claudit_upstream_errors", description: "Calls the upstream failed: no answer (timeout, connection, cut stream) or a 5xx/529 answer");
        meter.CreateObservableCounter("claudit_records_journaled", () => _records?.Written ?? 0, description: "Records appended to the JSONL journal");
        meter.CreateObservableCounter("claudit_records_stored", () => _applier?.Applied ?? 0, description: "Records the store took from the journal");
        meter.CreateObservableCounter("claudit_records_dropped", Dropped, description: "Records lost or set aside, by stage: journal (a full queue: lost), journal_refused (could not be written: dead-lettered), store (journal lines the store did not take: dead-lettered), alerts (a full queue: not evaluated)");
        meter.CreateObservableGauge("claudit_queue_depth", Depths, description: "Items waiting, by queue: journal, store, alerts (records), notifications (messages)");
        meter.CreateObservableGauge("claudit_store_lag_seconds", StoreLagSeconds, "s", "At most how long a journaled record has waited for the store (0 when the store holds the whole journal)");
        meter.CreateObservableCounter("claudit_alert_notifications_sent", () => _alerts?.NotificationsSent ?? 0, description: "Alert notifications delivered");
        meter.CreateObservableCounter("claudit_alert_notification_failures", () => _alerts?.NotificationsFailed ?? 0, description: "Alert notifications given up on after their retries, or dropped by a full queue");
        meter.CreateObservableGauge("claudit_alerts_firing", () => _alerts?.Current.Active.Count(a => a.Status == AlertStatuses.Firing) ?? 0, description: "Alerts firing now");
    }

    /// <summary>The sources the scrape reads.</summary>
    public void Watch(JournalRecordQueue records, StoreApplier applier, AlertService alerts)
    {
        _records = records;
        _applier = applier;
        _alerts = alerts;
    }

    /// <summary>A record after the journal: counted when the upstream failed it.</summary>
    public void Observe(CallRecord record)
    {
        if (IsUpstreamError(record) && _upstreamErrors.Enabled)
        {
            _upstreamErrors.Add(1, new TagList { { "error_type", ErrorTypes.ForMetrics(record.Error?.Type ?? ErrorTypes.Other) } });
        }
    }

    /// <summary>No answer (the client's own hang-ups and cancellations aside), or a server-side error status.</summary>
    internal static bool IsUpstreamError(CallRecord r) =>
        r.Error is { Origin: ErrorOrigin.Transport, Type: not (ErrorTypes.ClientClosed or ErrorTypes.Canceled) } || r.HttpStatus >= 500;

    private double StoreLagSeconds() => _applier is { } applier && applier.MeasureLag().Records > 0 ? applier.SinceHeldAll.TotalSeconds : 0;

    private IEnumerable<Measurement<long>> Dropped()
    {
        yield return new(_records?.Dropped ?? 0, new KeyValuePair<string, object?>("stage", "journal"));
        yield return new(_records?.Refused ?? 0, new KeyValuePair<string, object?>("stage", "journal_refused"));
        yield return new(_applier?.Skipped ?? 0, new KeyValuePair<string, object?>("stage", "store"));
        yield return new(_alerts?.RecordsDropped ?? 0, new KeyValuePair<string, object?>("stage", "alerts"));
    }

    private IEnumerable<Measurement<long>> Depths()
    {
        yield return new(_records?.Queued ?? 0, new KeyValuePair<string, object?>("queue", "journal"));
        yield return new(_applier?.MeasureLag().Records ?? 0, new KeyValuePair<string, object?>("queue", "store"));
        yield return new(_alerts?.RecordsQueued ?? 0, new KeyValuePair<string, object?>("queue", "alerts"));
        yield return new(_alerts?.NotificationsQueued ?? 0, new KeyValuePair<string, object?>("queue", "notifications"));
    }
}
