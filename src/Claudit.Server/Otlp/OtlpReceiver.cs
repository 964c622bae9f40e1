using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Claudit.Core.Capture;
using Claudit.Core.Ingest;
using Claudit.Core.Records;
using Claudit.Server.Access;
using Google.Protobuf;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Proto.Collector.Trace.V1;
using RpcStatus = Claudit.Server.Otlp.Rpc.Status;

namespace Claudit.Server.Otlp;

/// <summary>
/// <c>claudit serve --otlp-port</c>: an OTLP/HTTP trace receiver (<c>POST /v1/traces</c>, protobuf or JSON,
/// gzip or not) on its own port, on the gateway's host. Each GenAI span of a Claude call becomes a record
/// through the same finisher as a gateway call (priced by Claudit's price table, metrics, the record queue);
/// other spans are counted and dropped; a malformed request is answered 400 with a <c>google.rpc.Status</c>,
/// and spans that cannot be records are named in an OTLP partial success (docs/ingest.md).
/// </summary>
internal sealed class OtlpReceiver(WebApplication app, Uri address, OtlpStats stats) : IAsyncDisposable
{
    public const string Path = "/v1/traces";

    public Uri Address => address;

    public OtlpStats Stats => stats;

    public static async Task<OtlpReceiver> StartAsync(IPAddress address, int port, AccessTokens tokens, CallFinisher finisher, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(address, port);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = IngestEndpoint.MaxBatchBytes;
        });
        var app = builder.Build();
        var stats = new OtlpStats();
        var nested = new NestedSpans();
        app.MapPost(Path, (HttpContext context) => ReceiveAsync(context, tokens, finisher, stats, nested, time));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            stats.Dispose();
            throw;
        }

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        GatewayLog.OtlpStarted(logger, bound);
        return new OtlpReceiver(app, bound, stats);
    }

    private static async Task ReceiveAsync(HttpContext context, AccessTokens tokens, CallFinisher finisher, OtlpStats stats, NestedSpans nested, TimeProvider time)
    {
        var contentType = context.Request.ContentType ?? "";
        var json = contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
        string? pinnedTenant = null;
        if (tokens.Count > 0)
        {
            // The gateway's tokens (OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer …" or "Claudit-Token=…"): this
            // port is Claudit's own, so Authorization is ours here. An ingest or admin token; one that pins a
            // tenant pins every span's call to it.
            var grant = Presented(context.Request.Headers) is { Length: > 0 } presented ? tokens.Find(presented) : null;
            if (grant is null || !grant.Can(AccessRole.Ingest))
            {
                stats.BadRequest();
                await WriteAsync(context, grant is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden, json, new RpcStatus
                {
                    Code = grant is null ? 16 : 7, // google.rpc.Code UNAUTHENTICATED, PERMISSION_DENIED
                    Message = grant is null ? "a missing or wrong access token (Authorization: Bearer, or Claudit-Token)" : $"the token {grant.Describe()} cannot send spans",
                });
                return;
            }

            pinnedTenant = grant.Tenant;
        }

        if (!json && !contentType.StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            await FailAsync(context, stats, StatusCodes.Status415UnsupportedMediaType, json: true, $"Content-Type must be application/x-protobuf or application/json, not '{contentType}'");
            return;
        }

        var encoding = context.Request.Headers.ContentEncoding.ToString();
        if (encoding is not ("" or "identity" or "gzip"))
        {
            await FailAsync(context, stats, StatusCodes.Status415UnsupportedMediaType, json, $"Content-Encoding must be gzip or none, not '{encoding}'");
            return;
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request.Body, encoding == "gzip", context.RequestAborted);
        }
        catch (InvalidDataException ex)
        {
            await FailAsync(context, stats, StatusCodes.Status400BadRequest, json, $"the gzip body could not be read: {ex.Message}");
            return;
        }
        catch (BodyTooLargeException)
        {
            await FailAsync(context, stats, StatusCodes.Status413PayloadTooLarge, json, $"a request is at most {IngestEndpoint.MaxBatchBytes} bytes (decompressed): split it");
            return;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await FailAsync(context, stats, StatusCodes.Status413PayloadTooLarge, json, $"a request is at most {IngestEndpoint.MaxBatchBytes} bytes: split it");
            return;
        }

        List<TelemetrySpan> spans;
        try
        {
            spans = json ? OtlpJsonDecoder.Decode(body) : OtlpProtobufDecoder.Decode(body);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            await FailAsync(context, stats, StatusCodes.Status400BadRequest, json, $"not an OTLP ExportTraceServiceRequest ({(json ? "JSON" : "protobuf")}): {ex.Message}");
            return;
        }

        var outcome = Record(spans, finisher, nested, time.GetUtcNow(), pinnedTenant);
        stats.Add(spans.Count, outcome.Recorded, outcome.NotGenAi, outcome.Nested, outcome.Rejected);
        var response = new ExportTraceServiceResponse();
        if (outcome.Rejected > 0)
        {
            response.PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = outcome.Rejected, ErrorMessage = outcome.FirstProblem ?? "" };
        }

        await WriteAsync(context, StatusCodes.Status200OK, json, response);
    }

    private static (long Recorded, long NotGenAi, long Nested, long Rejected, string? FirstProblem) Record(List<TelemetrySpan> spans, CallFinisher finisher, NestedSpans nested, DateTimeOffset now, string? pinnedTenant)
    {
        var readings = spans.Select(GenAiSpanReader.Read).ToArray();
        // The parents of this request's GenAI calls: a call span among them wraps another.
        var parentsHere = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < spans.Count; i++)
        {
            if (readings[i].Verdict == SpanVerdict.Call && spans[i].ParentSpanId is { } parent)
            {
                parentsHere.Add(spans[i].TraceId + parent);
            }
        }

        long recorded = 0, notGenAi = 0, wrappers = 0, rejected = 0;
        string? problem = null;
        for (var i = 0; i < spans.Count; i++)
        {
            var (verdict, record, reason, _) = readings[i];
            var span = spans[i];
            if (verdict == SpanVerdict.NotGenAi)
            {
                notGenAi++;
                continue;
            }

            if (verdict == SpanVerdict.Call && (parentsHere.Contains(span.TraceId + span.SpanId) || nested.IsParentOfRecorded(span.TraceId, span.SpanId)))
            {
                wrappers++;
                continue;
            }

            reason ??= record is null ? "not a call" : RecordValidator.Validate(record, now) is { } p ? $"span {span.SpanId}: {p}" : null;
            if (reason is not null || record is null)
            {
                rejected++;
                problem ??= reason;
                continue;
            }

            nested.RememberParent(span.TraceId, span.ParentSpanId);
            // The span is the app's own, already exported where it was made: Claudit adds none for it.
            var tags = pinnedTenant is null ? record.Tags : record.Tags with { Tenant = pinnedTenant };
            finisher.Finish(record with { Tags = tags }, new CallContext { Tags = tags, ParentKnown = true, SpanElsewhere = true });
            recorded++;
        }

        return (recorded, notGenAi, wrappers, rejected, problem);
    }

    private static async Task<byte[]> ReadBodyAsync(Stream body, bool gzip, CancellationToken cancellationToken)
    {
        await using var source = gzip ? new GZipStream(body, CompressionMode.Decompress, leaveOpen: true) : null;
        var input = source ?? body;
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await input.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > IngestEndpoint.MaxBatchBytes)
            {
                throw new BodyTooLargeException();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Presented(IHeaderDictionary headers) =>
        headers[AccessMiddleware.Header].ToString() is { Length: > 0 } token ? token : AccessMiddleware.BearerToken(headers);

    private static Task FailAsync(HttpContext context, OtlpStats stats, int status, bool json, string message)
    {
        stats.BadRequest();
        // google.rpc.Code: 3 INVALID_ARGUMENT; 8 RESOURCE_EXHAUSTED for a body too large.
        return WriteAsync(context, status, json, new RpcStatus { Code = status == StatusCodes.Status413PayloadTooLarge ? 8 : 3, Message = message });
    }

    private static async Task WriteAsync(HttpContext context, int status, bool json, IMessage message)
    {
        context.Response.StatusCode = status;
        if (json)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonFormatter.Default.Format(message), context.RequestAborted);
        }
        else
        {
            context.Response.ContentType = "application/x-protobuf";
            await context.Response.Body.WriteAsync(message.ToByteArray(), context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        stats.Dispose();
    }

    private sealed class BodyTooLargeException : Exception;
}
