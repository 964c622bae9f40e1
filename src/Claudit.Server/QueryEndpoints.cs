using System.Buffers;
using System.Text.Json;
using Claudit.Core.Pricing;
using Claudit.Core.Reporting;
using Claudit.Core.Serialization;
using Claudit.Server.Access;
using Claudit.Store;

namespace Claudit.Server;

/// <summary>
/// The store's JSON query API (docs/api.md): <c>GET /api/report</c> answers the same report model
/// <c>claudit report</c> prints (parameters as in <see cref="ReportQuery"/>), <c>GET /api/calls/{id}</c>
/// one record in the record format. Both see only what the caller's token may (<see cref="AccessGrant.Scope"/>).
/// </summary>
internal static class QueryEndpoints
{
    public static void Map(IEndpointRouteBuilder app, IReportQueries reports, ICallStore calls, CostCalculator pricing)
    {
        app.MapGet("/api/report", async (HttpContext context) =>
        {
            var query = context.Request.Query;
            if (!ReportQuery.TryParse(name => query.TryGetValue(name, out var v) ? v.ToString() : null, out var options, out var error))
            {
                return Results.Json(new IngestError(error!), ServerJsonContext.Default.IngestError, statusCode: StatusCodes.Status400BadRequest);
            }

            options = options with { Filter = AccessGrant.Of(context).Scope(options.Filter) };
            var report = await reports.QueryReportAsync(options, pricing, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(report, ReportJsonContext.Default.Report);
        });

        app.MapGet("/api/calls/{id}", async (string id, HttpContext context) =>
        {
            if (!Guid.TryParse(id, out var callId))
            {
                return Results.Json(new IngestError($"'{id}' is not a call id"), ServerJsonContext.Default.IngestError, statusCode: StatusCodes.Status400BadRequest);
            }

            if (await calls.GetCallAsync(callId, AccessGrant.Of(context).Scope(RecordFilter.None), context.RequestAborted).ConfigureAwait(false) is not { } record)
            {
                return Results.Json(new IngestError($"no call {callId} in the store"), ServerJsonContext.Default.IngestError, statusCode: StatusCodes.Status404NotFound);
            }

            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                CallRecordJsonWriter.Write(writer, record);
            }

            return Results.Bytes(buffer.WrittenMemory.ToArray(), "application/json");
        });
    }
}
