using System.Text.Json;
using Claudit.Core.Anthropic;
using Microsoft.AspNetCore.Http;

namespace Claudit.Mock;

/// <summary>
/// The mock's behaviour behind its endpoints: <c>POST /v1/messages</c> and <c>/v1/messages/count_tokens</c>
/// (header and body validation like the real API, faults, rate limits, prompt caching, answers paced per
/// profile), the Models and Message Batches APIs, and the Admin usage and cost reports, answered from a
/// ledger of everything the mock billed. Everything it sends follows shared/reference/anthropic-api.md,
/// shared/reference/anthropic-usage-cost-api.md and docs/reference/anthropic-batches-and-models.md.
/// </summary>
public sealed class AnthropicMock
{
    public const string OrganizationId = "org_claudit_mock";
    private readonly MockOptions _options;
    private readonly PromptCache _cache;
    private readonly RateLimiter _limits;
    private readonly ResponsePlanner _planner;
    private readonly UsageLedger _ledger;
    private readonly BatchStore _batches;
    private readonly BatchesEndpoint _batchesEndpoint;
    private readonly ReportsEndpoint _reports;
    private long _requests;

    public AnthropicMock(MockOptions options)
    {
        _options = options;
        _cache = new PromptCache(options.MaxCacheEntries, options.TimeProvider);
        _limits = new RateLimiter(options.RateLimits, options.TimeProvider);
        _planner = new ResponsePlanner(_cache);
        _ledger = new UsageLedger(options.MaxUsageCells);
        _batches = new BatchStore(options, _planner, _ledger);
        _batchesEndpoint = new BatchesEndpoint(_batches);
        _reports = new ReportsEndpoint(_ledger, _batches, options);
    }

    /// <summary>Which credentials an endpoint takes: API keys (and OAuth) for inference, Admin keys for the Admin API.</summary>
    private enum Access
    {
        Inference,
        Admin,
    }

    /// <summary>Prompt-cache entries held now (bounded by <see cref="MockOptions.MaxCacheEntries"/>).</summary>
    public int CachedPrefixes => _cache.Count;

    /// <summary>Message Batches held now (bounded by <see cref="MockOptions.MaxBatches"/>).</summary>
    public int Batches => _batches.Count;

    /// <summary>Usage ledger cells held now (bounded by <see cref="MockOptions.MaxUsageCells"/>).</summary>
    public int UsageCells => _ledger.Cells;

    public async Task HandleMessagesAsync(HttpContext context) => await HandleAsync(context, countTokens: false);

    public async Task HandleCountTokensAsync(HttpContext context) => await HandleAsync(context, countTokens: true);

    public Task HandleModelsAsync(HttpContext context) => RunAsync(context, Access.Inference, ModelsEndpoint.ListAsync);

    public Task HandleModelAsync(HttpContext context) => RunAsync(context, Access.Inference, ModelsEndpoint.GetAsync);

    public Task HandleBatchCreateAsync(HttpContext context) => RunAsync(context, Access.Inference, _batchesEndpoint.CreateAsync);

    public Task HandleBatchAsync(HttpContext context) => RunAsync(context, Access.Inference, _batchesEndpoint.GetAsync);

    public Task HandleBatchesAsync(HttpContext context) => RunAsync(context, Access.Inference, _batchesEndpoint.ListAsync);

    public Task HandleBatchCancelAsync(HttpContext context) => RunAsync(context, Access.Inference, _batchesEndpoint.CancelAsync);

    public Task HandleBatchDeleteAsync(HttpContext context) => RunAsync(context, Access.Inference, _batchesEndpoint.DeleteAsync);

    public Task HandleBatchResultsAsync(HttpContext context) => RunAsync(context, Access.Inference, _batchesEndpoint.ResultsAsync);

    public Task HandleUsageReportAsync(HttpContext context) => RunAsync(context, Access.Admin, _reports.UsageAsync);

    public Task HandleCostReportAsync(HttpContext context) => RunAsync(context, Access.Admin, _reports.CostAsync);

    public Task HandleAnalyticsUsageAsync(HttpContext context) => RunAsync(context, Access.Admin, _reports.AnalyticsUsageAsync);

    public Task HandleAnalyticsCostAsync(HttpContext context) => RunAsync(context, Access.Admin, _reports.AnalyticsCostAsync);

    /// <summary>Any other path: a 404 in the API's error shape, with a request id like every other answer.</summary>
    public async Task HandleNotFoundAsync(HttpContext context)
    {
        var (requestId, _) = Begin(context);
        await MockHttp.WriteErrorAsync(context.Response, new MockError(404, ErrorTypes.NotFound, "Not found"), requestId, context.RequestAborted);
    }

    /// <summary>Names the request, checks its credentials for the endpoint, then lets the endpoint answer.</summary>
    private async Task RunAsync(HttpContext context, Access access, Func<MockCall, Task> handle)
    {
        var (requestId, ids) = Begin(context);
        var caller = MockCaller.From(context.Request);
        if (CheckHeaders(context.Request, caller, access) is { } error)
        {
            await MockHttp.WriteErrorAsync(context.Response, error, requestId, context.RequestAborted);
            return;
        }

        await handle(new MockCall(context, requestId, ids, caller, _options.TimeProvider.GetUtcNow()));
    }

    /// <summary>Numbers the request, and names it in the headers every answer carries.</summary>
    private (string RequestId, Random Random) Begin(HttpContext context)
    {
        var sequence = Interlocked.Increment(ref _requests);
        var random = MockIds.Seeded(_options.Seed, (ulong)sequence);
        var requestId = MockIds.New("req_", random);
        context.Response.Headers["request-id"] = requestId;
        context.Response.Headers["anthropic-organization-id"] = OrganizationId;
        return (requestId, random);
    }

    private async Task HandleAsync(HttpContext context, bool countTokens)
    {
        var (requestId, random) = Begin(context);
        var response = context.Response;
        var ct = context.RequestAborted;

        var fault = ChooseFault(context.Request, random);
        if (fault == MockFault.Reset)
        {
            context.Abort();
            return;
        }

        var caller = MockCaller.From(context.Request);
        if (CheckHeaders(context.Request, caller, Access.Inference) is { } headerError)
        {
            await MockHttp.WriteErrorAsync(response, headerError, requestId, ct);
            return;
        }

        var (body, bodyError) = await MockHttp.ReadJsonAsync(context, MockRequestReader.MaxBodyBytes, ct);
        if (bodyError is not null)
        {
            await MockHttp.WriteErrorAsync(response, bodyError, requestId, ct);
            return;
        }

        using (body)
        {
            if (MockRequestReader.Read(body!.RootElement, countTokens, out var request) is { } invalid)
            {
                await MockHttp.WriteErrorAsync(response, invalid, requestId, ct);
                return;
            }

            if (countTokens)
            {
                await MockHttp.WriteJsonAsync(response, 200, w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("input_tokens"u8, request!.Prompt.TotalTokens);
                    w.WriteEndObject();
                }, ct);
                return;
            }

            await AnswerAsync(context, request!, caller, fault, requestId, random, ct);
        }
    }

    private async Task AnswerAsync(HttpContext context, MockRequest request, MockCaller caller, MockFault fault, string requestId, Random ids, CancellationToken ct)
    {
        var response = context.Response;
        switch (fault)
        {
            case MockFault.RateLimit:
                response.Headers["retry-after"] = "1";
                _limits.WriteHeaders(new ResponseHeaders(response));
                await MockHttp.WriteErrorAsync(response, new MockError(429, ErrorTypes.RateLimit, "Number of request tokens has exceeded your per-minute rate limit (mock fault)"), requestId, ct);
                return;
            case MockFault.Overloaded:
            case MockFault.MidstreamError when !request.Stream:
                await MockHttp.WriteErrorAsync(response, new MockError(529, ErrorTypes.Overloaded, "Overloaded"), requestId, ct);
                return;
            case MockFault.ApiError:
                await MockHttp.WriteErrorAsync(response, new MockError(500, ErrorTypes.Api, "Internal server error"), requestId, ct);
                return;
            case MockFault.Timeout:
                await MockHttp.WriteErrorAsync(response, new MockError(504, ErrorTypes.Timeout, "Request timed out"), requestId, ct);
                return;
            case MockFault.Slow:
                await Task.Delay(_options.SlowDelay, _options.TimeProvider, ct);
                break;
        }

        if (!_limits.TryAcquire(request.Prompt.TotalTokens, request.MaxTokens, out var wait))
        {
            response.Headers["retry-after"] = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _limits.WriteHeaders(new ResponseHeaders(response));
            await MockHttp.WriteErrorAsync(response, new MockError(429, ErrorTypes.RateLimit, "This request would exceed your organization's rate limit. Please retry after the time in the retry-after header."), requestId, ct);
            return;
        }

        var random = MockIds.Seeded(_options.Seed, request.Prompt.PromptHash ^ (ulong)request.MaxTokens);
        var plan = _planner.Plan(request, random, ids);
        _limits.ChargeOutput(plan.OutputTokens);
        _limits.WriteHeaders(new ResponseHeaders(response));
        var pace = new Pacing(_options, request.Model, plan.InputTokens + plan.CacheWrite, random);

        // A complete answer is billed: in the ledger before its last byte leaves, so a usage report asked for
        // right after the answer arrives already shows it. Cut-off answers (truncate, midstream_error) are not.
        void Bill() => _ledger.Record(_options.TimeProvider.GetUtcNow(), caller, request, plan);
        if (request.Stream)
        {
            await StreamAsync(response, plan, fault, pace, Bill, ct);
        }
        else
        {
            await pace.WaitWholeAsync(plan.OutputTokens, ct);
            if (fault == MockFault.Truncate)
            {
                // Half a body, then the end: the client sees JSON cut mid-way.
                var whole = JsonSerializer.SerializeToUtf8Bytes(JsonDocument.Parse(Serialize(plan)).RootElement);
                response.StatusCode = 200;
                response.ContentType = "application/json";
                await response.Body.WriteAsync(whole.AsMemory(0, whole.Length / 2), ct);
                return;
            }

            Bill();
            await MockHttp.WriteJsonAsync(response, 200, w => MessageJson.WriteMessage(w, plan), ct);
        }
    }

    private static async Task StreamAsync(HttpResponse response, MessagePlan plan, MockFault fault, Pacing pace, Action bill, CancellationToken ct)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        using var sse = new SseResponseWriter(response);
        sse.Event("message_start"u8, w => MessageJson.WriteMessageStart(w, plan));
        await pace.FlushAfterFirstByteAsync(sse, ct);
        await pace.WaitFirstTokenAsync(ct);

        var deltasSent = 0;
        var cutAfter = fault is MockFault.MidstreamError or MockFault.Truncate ? Math.Max(1, plan.Blocks.Sum(Pieces) / 2) : int.MaxValue;
        for (var index = 0; index < plan.Blocks.Count; index++)
        {
            var block = plan.Blocks[index];
            sse.Event("content_block_start"u8, w => MessageJson.WriteBlockStart(w, index, block));
            if (index == 0)
            {
                sse.Ping();
            }

            var (deltaType, field, pieces) = block switch
            {
                ThinkingBlock t => ("thinking_delta"u8.ToArray(), "thinking"u8.ToArray(), t.Pieces),
                TextBlock t => ("text_delta"u8.ToArray(), "text"u8.ToArray(), t.Pieces),
                ToolUseBlock t => ("input_json_delta"u8.ToArray(), "partial_json"u8.ToArray(), t.JsonPieces),
                ServerToolUseBlock t => ("input_json_delta"u8.ToArray(), "partial_json"u8.ToArray(), t.JsonPieces),
                _ => (Array.Empty<byte>(), Array.Empty<byte>(), (IReadOnlyList<string>)[]),
            };
            foreach (var piece in pieces)
            {
                sse.Event("content_block_delta"u8, w => MessageJson.WriteDelta(w, index, deltaType, field, piece));
                await pace.AfterPieceAsync(sse, piece, ct);
                if (++deltasSent >= cutAfter)
                {
                    if (fault == MockFault.MidstreamError)
                    {
                        sse.Event("error"u8, w => ErrorBody.Write(w, ErrorTypes.Overloaded, "Overloaded", null));
                    }

                    await sse.FlushAsync(ct); // truncate: the stream simply ends, without message_stop
                    return;
                }
            }

            if (block is ThinkingBlock thinking)
            {
                sse.Event("content_block_delta"u8, w => MessageJson.WriteDelta(w, index, "signature_delta"u8, "signature"u8, thinking.Signature));
            }

            sse.Event("content_block_stop"u8, w => MessageJson.WriteBlockStop(w, index));
        }

        sse.Event("message_delta"u8, w => MessageJson.WriteMessageDelta(w, plan));
        sse.Event("message_stop"u8, w =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "message_stop"u8);
            w.WriteEndObject();
        });
        bill();
        await sse.FlushAsync(ct);
    }

    private static int Pieces(PlannedBlock block) => block switch
    {
        ThinkingBlock t => t.Pieces.Count,
        TextBlock t => t.Pieces.Count,
        ToolUseBlock t => t.JsonPieces.Count,
        ServerToolUseBlock t => t.JsonPieces.Count,
        _ => 0,
    };

    private static string Serialize(MessagePlan plan)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            MessageJson.WriteMessage(w, plan);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private MockFault ChooseFault(HttpRequest request, Random random)
    {
        if (request.Headers.TryGetValue(MockFaults.Header, out var named) && MockFaults.TryParse(named.ToString(), out var fault))
        {
            return fault;
        }

        return _options.Faults.Faults.Count == 0 ? MockFault.None : _options.Faults.Draw(random.NextDouble());
    }

    private static MockError? CheckHeaders(HttpRequest request, MockCaller caller, Access access)
    {
        if (!caller.HasCredential)
        {
            return new MockError(401, ErrorTypes.Authentication, "x-api-key header is required");
        }

        if (string.IsNullOrWhiteSpace(request.Headers["anthropic-version"]))
        {
            return new MockError(400, ErrorTypes.InvalidRequest, "anthropic-version: header is required");
        }

        if (access == Access.Admin && !caller.IsAdminKey)
        {
            // Only Admin keys open the Admin API. How the API refuses another key is unconfirmed; the usage-cost
            // reference's inferred envelope is invalid_request_error (shared/reference/anthropic-usage-cost-api.md §1).
            return MockHttp.Invalid($"This endpoint requires an Admin API key (x-api-key: {MockApiKeys.AdminKeyPrefix}…).");
        }

        if (access == Access.Inference && caller.IsAdminKey)
        {
            // An Admin key is not an API key: the references name it for the Admin API only (inferred).
            return new MockError(401, ErrorTypes.Authentication, "invalid x-api-key: Admin API keys can only be used with the Admin API");
        }

        return null;
    }

    private sealed class ResponseHeaders(HttpResponse response) : IHeaderWriter
    {
        public void Set(string name, string value) => response.Headers[name] = value;
    }
}
