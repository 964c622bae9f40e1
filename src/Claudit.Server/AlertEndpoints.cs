using System.Buffers;
using System.Text.Json;
using Claudit.Alerts;
using Claudit.Alerts.Evaluation;
using Claudit.Alerts.Notifications;
using Claudit.Alerts.Rules;
using Claudit.Store.Alerting;

namespace Claudit.Server;

/// <summary>
/// <c>/api/alerts</c> (docs/api.md): the alerts firing and pending now (with their latest values), the
/// recent history from the store, the rules with their groups, and the notifier's counts;
/// <c>/api/alerts/{id}</c>, one alert; and <c>/docs/alerts.md</c>, the runbook notifications link to.
/// </summary>
internal static class AlertEndpoints
{
    public const string Path = "/api/alerts";

    public const int DefaultHistory = 50;

    public static void Map(IEndpointRouteBuilder app, AlertService alerts, IAlertStore store)
    {
        app.MapGet(Path, async (HttpContext context) =>
        {
            if (UnknownParameters.Refuse(context, ["limit"]) is { } refused)
            {
                return refused;
            }

            var limitText = context.Request.Query["limit"].ToString();
            var limit = DefaultHistory;
            if (limitText.Length > 0 && (!int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit > 1000))
            {
                return Results.Json(new IngestError($"limit must be a whole number from 0 to 1000, not '{limitText}'"), ServerJsonContext.Default.IngestError, statusCode: StatusCodes.Status400BadRequest);
            }

            var history = await store.QueryAlertHistoryAsync(limit, context.RequestAborted).ConfigureAwait(false);
            return Results.Bytes(Json(w => WriteAlerts(w, alerts, history)), "application/json; charset=utf-8");
        });

        app.MapGet("/api/alerts/{id}", async (string id, HttpContext context) =>
        {
            if (!Guid.TryParse(id, out var guid))
            {
                return Results.Json(new IngestError($"'{id}' is not an alert id"), ServerJsonContext.Default.IngestError, statusCode: StatusCodes.Status400BadRequest);
            }

            var alert = alerts.Current.Active.FirstOrDefault(a => a.Id == guid) ?? await store.GetAlertAsync(guid, context.RequestAborted).ConfigureAwait(false);
            return alert is null || alerts.Links is not { } links
                ? Results.Json(new IngestError($"no alert '{id}'"), ServerJsonContext.Default.IngestError, statusCode: StatusCodes.Status404NotFound)
                : Results.Bytes(Json(w => AlertJson.Write(w, alert, links)), "application/json; charset=utf-8");
        });

        var runbook = Runbook();
        app.MapGet("/docs/alerts.md", () => Results.Bytes(runbook, "text/markdown; charset=utf-8"));
    }

    private static void WriteAlerts(Utf8JsonWriter w, AlertService alerts, StoredAlert[] history)
    {
        var now = alerts.Current;
        var links = alerts.Links;
        w.WriteStartObject();
        if (now.EvaluatedAt is { } at)
        {
            w.WriteString("evaluated_at"u8, at.UtcDateTime);
        }
        else
        {
            w.WriteNull("evaluated_at"u8);
        }

        w.WriteString("evaluate_every"u8, DurationText.Format(alerts.Config.EvaluateEvery));
        List("firing"u8, now.Active.Where(a => a.Status == AlertStatuses.Firing));
        List("pending"u8, now.Active.Where(a => a.Status == AlertStatuses.Pending));
        List("history"u8, history);
        w.WriteStartArray("rules"u8);
        foreach (var rule in now.Rules)
        {
            WriteRule(w, rule, links);
        }

        w.WriteEndArray();
        w.WriteStartObject("notifications"u8);
        w.WriteNumber("targets"u8, alerts.Config.Notify.Count);
        w.WriteNumber("sent"u8, alerts.NotificationsSent);
        w.WriteNumber("failed"u8, alerts.NotificationsFailed);
        w.WriteNumber("retries"u8, alerts.NotificationRetries);
        w.WriteNumber("queued"u8, alerts.NotificationsQueued);
        w.WriteEndObject();
        w.WriteStartObject("records"u8);
        w.WriteNumber("observed"u8, alerts.RecordsObserved);
        w.WriteNumber("seeded"u8, alerts.RecordsSeeded);
        w.WriteNumber("dropped"u8, alerts.RecordsDropped);
        w.WriteEndObject();
        w.WriteEndObject();

        void List(ReadOnlySpan<byte> name, IEnumerable<StoredAlert> list)
        {
            w.WriteStartArray(name);
            if (links is not null)
            {
                foreach (var alert in list)
                {
                    AlertJson.Write(w, alert, links);
                }
            }

            w.WriteEndArray();
        }
    }

    private static void WriteRule(Utf8JsonWriter w, RuleStatus status, AlertLinks? links)
    {
        var rule = status.Rule;
        w.WriteStartObject();
        w.WriteString("name"u8, rule.Name);
        w.WriteString("metric"u8, rule.Info.Name);
        w.WriteString("title"u8, rule.Info.Title);
        w.WriteString("comparison"u8, Comparisons.Name(rule.Comparison));
        w.WriteNumber("threshold"u8, rule.Threshold);
        if (rule.Info.Pulled)
        {
            w.WriteNull("window"u8);
        }
        else
        {
            w.WriteString("window"u8, rule.Info.Calendar is { } calendar ? (calendar == CalendarPeriod.Day ? "day" : "month") : DurationText.Format(rule.Window));
        }

        w.WriteString("for"u8, DurationText.Format(rule.For));
        w.WriteNumber("min_calls"u8, rule.MinCalls);
        w.WriteStartArray("group_by"u8);
        foreach (var d in rule.Dimensions)
        {
            w.WriteStringValue(GroupKey.Label(d));
        }

        w.WriteEndArray();
        w.WriteStartObject("filter"u8);
        foreach (var (name, value) in rule.Filter.Fields())
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
        if (rule.ForecastAbove is { } forecast) w.WriteNumber("forecast_above"u8, forecast);
        if (rule.BaselineBelow is { } baseline) w.WriteNumber("baseline_below"u8, baseline);
        w.WriteString("severity"u8, rule.Severity);
        w.WriteString("repeat_every"u8, DurationText.Format(rule.RepeatEvery));
        w.WriteBoolean("built_in"u8, rule.BuiltIn);
        w.WriteNumber("groups"u8, status.Groups);
        w.WriteNumber("dropped_calls"u8, status.DroppedCalls);
        if (links is not null)
        {
            w.WriteString("runbook_url"u8, links.Runbook(rule.Info.Name));
        }

        w.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Runbook()
    {
        using var stream = typeof(AlertEndpoints).Assembly.GetManifestResourceStream("Claudit.Server.docs.alerts.md")
            ?? throw new InvalidOperationException("docs/alerts.md is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
