using System.Text.Json;
using Claudit.Core.Reconcile;
using Claudit.Store;

namespace Claudit.Server.Reconcile;

/// <summary>
/// <c>GET /api/reconcile?days=N</c> (docs/api.md): the stored reconciliation of the last N finished days (default 7,
/// 1–366) as <c>claudit reconcile --format json</c> writes one, plus <c>days</c> (the <c>unrecorded_spend</c> value
/// per day) and <c>status</c> (off when the gateway has no Admin key; else the last pass and its error).
/// </summary>
internal static class ReconcileEndpoint
{
    public const string Path = "/api/reconcile";

    public static void Map(IEndpointRouteBuilder app, IReconcileStore store, Func<ReconcileStatus?> status, TimeProvider time)
    {
        app.MapGet(Path, async (HttpContext context) =>
        {
            if (UnknownParameters.Refuse(context, ["days"]) is { } refused)
            {
                return refused;
            }

            var days = 7;
            var text = context.Request.Query["days"].ToString();
            if (text.Length > 0 && (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out days) || days is < 1 or > 366))
            {
                return Results.Json(new IngestError("days: a whole number of days from 1 to 366"), ServerJsonContext.Default.IngestError, statusCode: StatusCodes.Status400BadRequest);
            }

            var until = ReconcileBuckets.FinishedDaysUntil(time.GetUtcNow());
            var since = until - TimeSpan.FromDays(days);
            var rows = await store.QueryReconciliationsAsync(since, until, context.RequestAborted).ConfigureAwait(false);
            var spend = await store.QueryUnrecordedSpendAsync(since, until, context.RequestAborted).ConfigureAwait(false);
            var reconciliation = Reconciler.Of([.. rows.Select(r => r.Row)], since, until, ReconcileWidth.Day, ReconcileTolerance.Default);
            var state = status();
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                ReconcileJson.Write(w, reconciliation, w => Extra(w, spend, state));
            }

            return Results.Bytes(buffer.ToArray(), "application/json");
        });
    }

    private static void Extra(Utf8JsonWriter w, IReadOnlyList<UnrecordedSpend> spend, ReconcileStatus? status)
    {
        w.WriteStartArray("days");
        foreach (var day in spend)
        {
            w.WriteStartObject();
            w.WriteString("day", day.Day.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteNumber("billed_usd", day.BilledUsd);
            w.WriteNumber("unrecorded_usd", day.UnrecordedUsd);
            if (day.Value is { } v)
            {
                w.WriteNumber("unrecorded_share", v);
            }
            else
            {
                w.WriteNull("unrecorded_share");
            }

            w.WriteString("reconciled_at", ReconcileJson.Time(day.ReconciledAt));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("status");
        w.WriteBoolean("enabled", status is not null);
        if (status is not null)
        {
            WriteTime(w, "last_run", status.LastRun);
            WriteTime(w, "since", status.Since);
            WriteTime(w, "until", status.Until);
            w.WriteString("last_error", status.LastError);
            w.WriteNumber("api_calls", status.ApiCalls);
        }

        w.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? t)
    {
        if (t is { } v)
        {
            w.WriteString(name, ReconcileJson.Time(v));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
