using System.Buffers;
using System.Text.Json;
using Claudit.Core.Pricing;
using Claudit.Core.Reporting;
using Claudit.Core.Serialization;
using Claudit.Server.Access;
using Claudit.Store;
using Claudit.Store.ReadModel;

namespace Claudit.Server;

/// <summary>
/// The store's JSON query API (docs/api.md): <c>GET /api/report</c> answers the same report model
/// <c>claudit report</c> prints (parameters as in <see cref="ReportQuery"/>), <c>GET /api/calls/{id}</c>
/// one record in the record format (with its captured content, redacted, when stored). Both see only what the caller's token may (<see cref="AccessGrant.Scope"/>).
/// </summary>
internal static class QueryEndpoints
{
    public static void Map(IEndpointRouteBuilder app, IReportQueries reports, ICallStore calls, IDashboardReadModel lists, CostCalculator pricing, ICallContentStore contents)
    {
        app.MapGet("/api/report", async (HttpContext context) =>
        {
            if (UnknownParameters.Refuse(context, ReportQuery.Parameters) is { } refused)
            {
                return refused;
            }

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
            // A call id, or Anthropic's request id of the call (req_…), which is what an error report or a log line names.
            var scope = AccessGrant.Of(context).Scope(RecordFilter.None);
            Guid callId;
            if (!Guid.TryParse(id, out callId))
            {
                if (!id.StartsWith("req_", StringComparison.Ordinal))
                {
                    return Results.Json(new IngestError($"'{id}' is neither a call id nor a request id (req_…)"), ServerJsonContext.Default.IngestError, statusCode: StatusCodes.Status400BadRequest);
                }

                var found = await lists.QueryCallsAsync(scope with { Endpoint = EndpointScope.All }, CostBasis.Recorded, new CallListQuery { RequestId = id, Limit = 1 }, context.RequestAborted).ConfigureAwait(false);
                callId = found.Length == 0 ? Guid.Empty : found[0].Id;
            }

            if (callId == Guid.Empty || await calls.GetCallAsync(callId, scope, context.RequestAborted).ConfigureAwait(false) is not { } record)
            {
                return Results.Json(new IngestError($"no call {id} in the store"), ServerJsonContext.Default.IngestError, statusCode: StatusCodes.Status404NotFound);
            }

            // The call's content, redacted, when content capture stored it (docs/api.md).
            var content = (await contents.GetContentAsync([record.Id], context.RequestAborted).ConfigureAwait(false)).GetValueOrDefault(record.Id);
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                CallRecordJsonWriter.Write(writer, record, content);
            }

            return Results.Bytes(buffer.WrittenMemory.ToArray(), "application/json");
        });
    }
}
