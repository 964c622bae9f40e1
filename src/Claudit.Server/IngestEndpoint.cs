using Claudit.Core.Capture;
using Claudit.Core.Records;
using Claudit.Journal;
using Claudit.Server.Access;
using Microsoft.AspNetCore.Http.Features;

namespace Claudit.Server;

/// <summary>
/// <c>POST /api/ingest</c>: call records captured elsewhere (the in-process library's
/// <c>.AddServer(url)</c> sink) as JSON lines in the record format (docs/record-format.md), sent as
/// <c>application/x-ndjson</c> or <c>application/json</c> (the gateway's <c>BrowserGuardMiddleware</c> refuses
/// any other type, which a page on another origin could post). Each line is read on its own, at most <see cref="RecordValidator.MaxLineBytes"/>
/// long, and checked by Core's <see cref="RecordValidator"/>; a good record goes down the same record queue
/// as a gateway call (journal, store and metrics), a bad line goes to <c>dead-letter/ingest-YYYY-MM-DD.jsonl</c>
/// with its reason and never joins the good ones. Any bad line makes the answer a 400 that names the
/// line and the field; it still says how many good records were taken.
/// </summary>
internal static class IngestEndpoint
{
    public const string Path = "/api/ingest";

    /// <summary>A batch larger than this is refused (413), whether or not it says its length: the sender should split it.</summary>
    public const long MaxBatchBytes = 32L * 1024 * 1024;

    /// <summary>How many bad lines the answer lists (all of them are dead-lettered).</summary>
    private const int MaxListedProblems = 5;

    public static void Map(IEndpointRouteBuilder app, CallFinisher finisher, DeadLetters deadLetters, TimeProvider time) =>
        app.MapPost(Path, async (HttpContext context) =>
        {
            // Kestrel enforces this on chunked bodies too: past it, reading throws (and the connection is not read further).
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxBatchBytes;
            }

            if (context.Request.ContentLength > MaxBatchBytes)
            {
                return Error(StatusCodes.Status413PayloadTooLarge, $"a batch is at most {MaxBatchBytes} bytes: split it");
            }

            var pinned = AccessGrant.Of(context).Tenant; // a token that pins a tenant: its records are that tenant's, whatever they say
            var validator = new RecordValidator(time);
            var problems = new List<string>();
            int accepted = 0, rejected = 0;
            try
            {
                await foreach (var entry in JsonlEntryReader.ReadAsync(context.Request.Body, new ReadStats(), context.RequestAborted))
                {
                    var problem = entry.Problem is { } unreadable ? $"not a record: {unreadable}" : validator.Check(entry.Record!)?.ToString();
                    if (problem is null)
                    {
                        finisher.Accept(pinned is null ? entry.Record! : entry.Record! with { Tags = entry.Record!.Tags with { Tenant = pinned } });
                        accepted++;
                        continue;
                    }

                    rejected++;
                    if (problems.Count < MaxListedProblems)
                    {
                        problems.Add($"line {entry.Line}: {problem}");
                    }

                    if (entry.Record is { } record)
                    {
                        deadLetters.Write($"ingest line {entry.Line}", problem, record);
                    }
                    else
                    {
                        deadLetters.Write($"ingest line {entry.Line}", problem, entry.Excerpt.Span, entry.LineBytes);
                    }
                }
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return Error(StatusCodes.Status413PayloadTooLarge, $"a batch is at most {MaxBatchBytes} bytes: split it ({accepted} records before the limit were taken)");
            }

            if (rejected == 0)
            {
                return Results.Json(new IngestResult(accepted, 0, []), ServerJsonContext.Default.IngestResult, statusCode: StatusCodes.Status202Accepted);
            }

            var answer = new IngestRejection($"{problems[0]} ({rejected} bad line{(rejected == 1 ? "" : "s")}, kept in {DeadLetters.DirectoryName}/; {accepted} good record{(accepted == 1 ? "" : "s")} taken)",
                accepted, rejected, [.. problems]);
            return Results.Json(answer, ServerJsonContext.Default.IngestRejection, statusCode: StatusCodes.Status400BadRequest);
        });

    private static IResult Error(int status, string message) =>
        Results.Json(new IngestError(message), ServerJsonContext.Default.IngestError, statusCode: status);
}
