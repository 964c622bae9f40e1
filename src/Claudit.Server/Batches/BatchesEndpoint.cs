using System.Globalization;
using Claudit.Store;

namespace Claudit.Server.Batches;

/// <summary>
/// <c>GET /api/batches</c>: the Message Batches the gateway follows, newest first (<c>limit</c>, default 100,
/// at most 1000), each with whether its results were read through the gateway, and <c>gaps</c>: one line,
/// "batch N: results not seen", per ended batch whose results never were — spend Claudit cannot see.
/// </summary>
internal static class BatchesEndpoint
{
    public static void Map(IEndpointRouteBuilder app, BatchTracker batches, TimeProvider time) =>
        app.MapGet("/api/batches", async (HttpContext context) =>
        {
            if (UnknownParameters.Refuse(context, ["limit"]) is { } refused)
            {
                return refused;
            }

            var limitText = context.Request.Query["limit"].ToString();
            var limit = 100;
            if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
            {
                return Results.Json(new IngestError($"limit must be a whole number from 1 to 1000, not '{limitText}'"), ServerJsonContext.Default.IngestError, statusCode: StatusCodes.Status400BadRequest);
            }

            var now = time.GetUtcNow();
            var entries = await batches.ListAsync(limit, context.RequestAborted).ConfigureAwait(false);
            var views = entries.Select(e => BatchView.Of(e, now)).ToArray();
            return Results.Json(new BatchesReport(views, [.. views.Where(v => v.ResultsNotSeen).Select(v => $"batch {v.Id}: results not seen")]), ServerJsonContext.Default.BatchesReport);
        });
}

/// <summary>One batch as <c>/api/batches</c> shows it.</summary>
internal sealed record BatchView(
    string Id, string? ProcessingStatus, long? RequestCount, long Succeeded, long Errored, long Canceled, long Expired,
    DateTimeOffset? CreatedAt, DateTimeOffset? EndedAt, DateTimeOffset? ExpiresAt, bool CreatedThroughGateway,
    string? User, string? Tenant, string? Feature, string? Session, DateTimeOffset FirstSeen, DateTimeOffset LastSeen,
    DateTimeOffset? ResultsReadAt, long ResultsRecords, bool ResultsNotSeen)
{
    public static BatchView Of(BatchEntry e, DateTimeOffset now) => new(
        e.Id, e.Batch.ProcessingStatus, e.Batch.RequestCount, e.Batch.Succeeded, e.Batch.Errored, e.Batch.Canceled, e.Batch.Expired, e.Batch.CreatedAt, e.Batch.EndedAt, e.Batch.ExpiresAt,
        e.CreatedThroughGateway, e.Tags.User, e.Tags.Tenant, e.Tags.Feature, e.Tags.Session, e.FirstSeen, e.LastSeen,
        e.ResultsReadAt, e.ResultsRecords, e.ResultsNotSeen(now));
}

/// <summary>What <c>/api/batches</c> answers.</summary>
internal sealed record BatchesReport(BatchView[] Batches, string[] Gaps);
