using Claudit.Core.Capture;
using Claudit.Journal;
using Claudit.Server.Access;

namespace Claudit.Server;

/// <summary>
/// <c>POST /api/ingest</c>: call records captured elsewhere (the in-process library's
/// <c>.AddServer(url)</c> sink) as JSON lines in the record format (docs/record-format.md). Each
/// line goes down the same record queue as a gateway call: journal, store and metrics. Lines that are
/// not records are counted and named in the answer, never fatal to the batch.
/// </summary>
internal static class IngestEndpoint
{
    public const string Path = "/api/ingest";

    /// <summary>A batch larger than this is refused whole (413): the sender should split it.</summary>
    public const long MaxBatchBytes = 32L * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder app, CallFinisher finisher) =>
        app.MapPost(Path, async (HttpContext context) =>
        {
            if (context.Request.ContentLength > MaxBatchBytes)
            {
                return Results.Json(new IngestError($"a batch is at most {MaxBatchBytes} bytes: split it"), ServerJsonContext.Default.IngestError, statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            var stats = new ReadStats();
            var accepted = 0;
            var pinned = AccessGrant.Of(context).Tenant; // a token that pins a tenant: its records are that tenant's, whatever they say
            await foreach (var record in JsonlRecordReader.ReadAsync(context.Request.Body, "ingest", stats, cancellationToken: context.RequestAborted))
            {
                finisher.Accept(pinned is null ? record : record with { Tags = record.Tags with { Tenant = pinned } });
                accepted++;
            }

            return Results.Json(new IngestResult(accepted, stats.SkippedLines, stats.FirstProblems.ToArray()), ServerJsonContext.Default.IngestResult, statusCode: StatusCodes.Status202Accepted);
        });
}
