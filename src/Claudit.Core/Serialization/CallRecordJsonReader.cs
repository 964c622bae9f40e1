using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Core.Reporting;

namespace Claudit.Core.Serialization;

/// <summary>
/// Reads one JSON line into a <see cref="CallRecord"/>. It understands Claudit's own format and the
/// JSONL written by the widely copied <c>tracer.py</c> decorator (<c>ts_start</c>, <c>latency_s</c>,
/// flat token fields, <c>cost_usd</c>), so teams can migrate their history. Unknown fields are skipped
/// (newer writers stay readable); a line that is not a record returns false with the reason.
/// </summary>
public static partial class CallRecordJsonReader
{
    private static readonly PropertyNameTable TopLevel = new(
        "id", "start_time", "source", "endpoint", "streaming", "model_requested", "model_used", "status", "http_status", "complete",
        "stop_reason", "max_tokens", "error", "usage", "cost", "latency_ms", "ttft_ms", "ttfb_ms", "output_tokens_per_second",
        "request_id", "organization_id", "rate_limits", "tool_calls", "tags", "prompt_hash",
        "ts_start", "latency_s", "caller", "function", "input_tokens", "output_tokens", "cache_creation_tokens", "cache_read_tokens", "cost_usd",
        "quality_flags", "context_utilisation", "endpoint_kind", "batch", "message_id", "tool_results", "tool_result_errors");

    /// <summary>What a tracer.py line's own <c>cost_usd</c> is labelled with: its price table is tracer.py's, not one of Claudit's.</summary>
    public const string TracerCostSource = "tracer.py";

    private static readonly PropertyNameTable UsageNames = new(
        "input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_creation_5m_input_tokens", "cache_creation_1h_input_tokens",
        "cache_read_input_tokens", "thinking_tokens", "web_search_requests", "web_fetch_requests", "service_tier", "inference_geo", "speed");

    private static readonly PropertyNameTable TagNames = new(
        "user", "tenant", "feature", "session", "conversation", "trace_id", "span_id", "parent_id", "attempt", "properties");

    /// <summary>One JSON line as a record; false with the reason when it is not one.</summary>
    public static bool TryRead(ReadOnlySpan<byte> line, out CallRecord? record, out string? error) =>
        TryRead(line, null, CallRecordReadOptions.Full, out record, out error);

    /// <summary>One JSON line as a record, reading only the parts <paramref name="options"/> asks for.</summary>
    public static bool TryRead(ReadOnlySpan<byte> line, CallRecordReadOptions options, out CallRecord? record, out string? error) =>
        TryRead(line, null, options, out record, out error);

    internal static bool TryRead(ReadOnlySpan<byte> line, Utf8StringPool? pool, out CallRecord? record, out string? error) =>
        TryRead(line, pool, CallRecordReadOptions.Full, out record, out error);

    /// <summary>With a string pool, so that a reader of many lines shares the strings they repeat (models, tags).</summary>
    internal static bool TryRead(ReadOnlySpan<byte> line, Utf8StringPool? pool, CallRecordReadOptions options, out CallRecord? record, out string? error)
    {
        var flat = new RecordFields(pool, options);
        return flat.TryReadLine(line) ? flat.TryBuild(line, out record, out error) : TryReadByJsonReader(line, pool, options, out record, out error);
    }

    /// <summary>
    /// One JSON line as the fields a report folds, read as <see cref="TryRead(ReadOnlySpan{byte}, CallRecordReadOptions, out CallRecord?, out string?)"/>
    /// reads it (the same scan, the same rules, the same errors) but without building a record: no id is derived and
    /// no request id or message id is kept (<see cref="ReportFields.Record"/> reads the line again for those).
    /// </summary>
    internal static bool TryReadReportFields(ReadOnlySpan<byte> line, Utf8StringPool? pool, CallRecordReadOptions options, out ReportFields fields, out string? error)
    {
        var flat = new RecordFields(pool, options, identifiers: false);
        if (flat.TryReadLine(line) ? flat.TryResolve(out fields, out _, out error) : TryReadByJsonReader(line, pool, options, out fields, out error))
        {
            fields.ReadFrom(line, pool, options);
            return true;
        }

        return false;
    }

    /// <summary>The whole line by the JSON reader, token by token: what decides a line the byte scan does not take.</summary>
    internal static bool TryReadByJsonReader(ReadOnlySpan<byte> line, Utf8StringPool? pool, CallRecordReadOptions options, out CallRecord? record, out string? error)
    {
        record = null;
        var b = new RecordFields(pool, options);
        return TryReadWhole(line, ref b, out error) && b.TryBuild(line, out record, out error);
    }

    private static bool TryReadByJsonReader(ReadOnlySpan<byte> line, Utf8StringPool? pool, CallRecordReadOptions options, out ReportFields fields, out string? error)
    {
        fields = default;
        var b = new RecordFields(pool, options, identifiers: false);
        return TryReadWhole(line, ref b, out error) && b.TryResolve(out fields, out _, out error);
    }

    private static bool TryReadWhole(ReadOnlySpan<byte> line, ref RecordFields fields, out string? error)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "not a JSON object";
                return false;
            }

            fields.ReadTopLevel(ref reader);
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = "trailing data after the object";
                return false;
            }

            error = null;
            return true;
        }
        catch (Exception ex) when (IsLineError(ex))
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>What reading a bad line throws (invalid UTF-8 in a string the record keeps is one).</summary>
    private static bool IsLineError(Exception ex) =>
        ex is JsonException or InvalidOperationException or FormatException or OverflowException or System.Text.DecoderFallbackException;

    /// <summary>Mutable fields gathered from either format, then checked and frozen into a record.</summary>
    private ref partial struct RecordFields(Utf8StringPool? pool, CallRecordReadOptions options, bool identifiers = true)
    {
        // The endpoint kind of a record that names neither its kind nor its path (tracer.py's): classified once.
        private static readonly string DefaultEndpointKind = EndpointKinds.Classify(null, AnthropicEndpoints.Messages);

        private readonly Utf8StringPool? _pool = pool;
        private readonly CallRecordReadOptions _options = options;

        /// <summary>Whether the request id and message id are kept (a report's fold keeps them only for the calls it lists).</summary>
        private readonly bool _identifiers = identifiers;
        private Guid? _id;
        private DateTimeOffset? _start;
        private CallSource _source;
        private string? _endpoint, _endpointKind;
        private BatchCallInfo? _batch;
        private bool _streaming;
        private string? _modelRequested, _modelUsed, _stopReason, _requestId, _organizationId, _promptHash, _messageId;
        private CallStatus? _status;
        private int? _httpStatus, _maxTokens, _errorStatusCode;
        private bool _complete = true;
        private CallError? _error;
        private UsageValues? _usage;
        private CostValues? _cost;
        private double? _latencyMs, _ttftMs, _ttfbMs, _tps;
        private RateLimitSnapshot? _rateLimits;
        private List<ToolCallInfo>? _toolCalls;
        private TagValues? _tags;
        private List<string>? _qualityFlags;
        private double? _contextUtilisation;
        private int _toolResults, _toolResultErrors;

        // tracer.py only
        private bool _tracer, _hasCaller;
        private string? _caller, _function;
        private long? _flatInput, _flatOutput, _flatCacheWrite, _flatCacheRead;
        private decimal? _flatCost;

        public void ReadTopLevel(ref Utf8JsonReader r)
        {
            var last = -1;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var name = r.HasValueSequence || r.ValueIsEscaped ? -1 : TopLevel.Find(r.ValueSpan, ref last);
                r.Read();
                ReadOne(name, ref r);
            }
        }

        /// <summary>The value the reader is on, for the top-level field <paramref name="name"/> (-1: one no one reads).</summary>
        private void ReadOne(int name, ref Utf8JsonReader r)
        {
            if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray
                || !AssignScalar(name, r.TokenType, Text(ref r, out var form), form))
            {
                ReadValue(name, ref r);
            }
        }

        /// <summary>
        /// A top-level value <see cref="AssignScalar"/> does not take: an object or array, an id or a time
        /// written as a string, or a value no field reads (skipped).
        /// </summary>
        private void ReadValue(int name, ref Utf8JsonReader r)
        {
            switch (name)
            {
                case 0: _id = r.TokenType == JsonTokenType.String && r.TryGetGuid(out var g) ? g : null; break;
                case 1: _start = ReadTime(ref r); break;
                case 12: _error = ReadError(ref r); break;
                case 13: _usage = ReadUsage(ref r); break;
                case 14 when _options.RecordedCost: _cost = ReadCost(ref r); break;
                case 21 when _options.RateLimits: _rateLimits = ReadRateLimits(ref r); break;
                case 22 when _options.ToolCalls: _toolCalls = ReadToolCalls(ref r); break;
                case 23: _tags = ReadTags(ref r); break;
                case 25: _tracer = true; _start = ReadTime(ref r); break;
                case 34: _qualityFlags = ReadStrings(ref r); break;
                case 37: _batch = ReadBatch(ref r); break;
                default:
                    // An object or array where a scalar belongs is no value; the number and flag fields have
                    // always left the reader at its start (the line then reads as trailing data), the others step over it.
                    if (name >= 0 && r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        AssignScalar(name, r.TokenType, default, TextForm.Raw);
                    }

                    if (!KeepsPosition(name))
                    {
                        r.Skip();
                    }

                    break;
            }
        }

        /// <summary>The fields that read an object or array value as no value without stepping over it.</summary>
        private static bool KeepsPosition(int name) => name is 0 or 4 or 8 or 9 or 11 or (>= 15 and <= 18) or 26 or (>= 29 and <= 33) or 35 or 39 or 40;

        /// <summary>
        /// The checks and rules that make the gathered fields a call, up to what a report folds: the one place both
        /// <see cref="TryBuild"/> and the report's fields (<see cref="TryReadReportFields"/>) take them from.
        /// </summary>
        public readonly bool TryResolve(out ReportFields fields, out bool tracer, out string? error)
        {
            fields = default;
            tracer = false;
            if (_start is null)
            {
                error = "no start_time (or ts_start)";
                return false;
            }

            tracer = _tracer || (_id is null && (_flatInput is not null || _flatCost is not null || _hasCaller));
            if (_id is null && !tracer)
            {
                error = "no id";
                return false;
            }

            var status = _status ?? (_error is null ? CallStatus.Ok : CallStatus.Error);
            var callError = _error;
            if (status == CallStatus.Error && callError is null)
            {
                callError = new CallError { Type = _httpStatus is { } hs ? Anthropic.ErrorTypes.FromHttpStatus(hs) : Anthropic.ErrorTypes.HttpError };
            }

            var usage = _usage;
            var cost = _cost;
            var tags = _tags ?? default;
            if (tracer)
            {
                if (usage is null && (_flatInput ?? _flatOutput ?? _flatCacheWrite ?? _flatCacheRead) is not null)
                {
                    usage = new UsageValues(_flatInput ?? 0, _flatOutput ?? 0, _flatCacheWrite ?? 0, null, null, _flatCacheRead ?? 0, null, 0, 0, null, null, null);
                }

                if (cost is null && _flatCost is { } recorded)
                {
                    cost = new CostValues(true, recorded, 0m, 0m, 0m, 0m, 0m, 0m, TracerCostSource, null, null);
                }

                if (TracerTagged)
                {
                    tags = new TagValues(null, null, _function, null, null, null, null, null, null,
                        _caller is null || !_options.Correlation ? null : new Dictionary<string, string> { ["caller"] = _caller });
                }
            }

            fields = new ReportFields
            {
                StartTime = _start.Value,
                // Records written before the endpoint dimension existed: the kind their path says.
                EndpointKind = _endpointKind ?? (_endpoint is null ? DefaultEndpointKind : EndpointKinds.Classify(null, _endpoint)),
                Batch = _batch,
                ModelRequested = _modelRequested,
                ModelUsed = _modelUsed,
                IsError = status == CallStatus.Error,
                Error = callError,
                StopReason = _stopReason,
                Usage = usage,
                Cost = cost,
                LatencyMs = _latencyMs ?? 0,
                TtftMs = _ttftMs,
                Tags = tags,
            };
            error = null;
            return true;
        }

        /// <summary>A tracer.py line's tags: its function (and caller) when it has no tags object.</summary>
        private readonly bool TracerTagged => _tags is null && (_function is not null || _hasCaller);

        public readonly bool TryBuild(ReadOnlySpan<byte> line, out CallRecord? record, out string? error)
        {
            record = null;
            if (!TryResolve(out var f, out var tracer, out error))
            {
                return false;
            }

            record = new CallRecord
            {
                Id = _id ?? DeterministicId(f.StartTime, line),
                StartTime = f.StartTime,
                Source = tracer ? CallSource.Import : _source,
                Endpoint = _endpoint ?? AnthropicEndpoints.Messages,
                EndpointKind = f.EndpointKind,
                Batch = f.Batch,
                Streaming = _streaming,
                ModelRequested = f.ModelRequested,
                ModelUsed = f.ModelUsed,
                Status = f.IsError ? CallStatus.Error : CallStatus.Ok,
                HttpStatus = _httpStatus ?? _errorStatusCode ?? (tracer && f.Error is null ? 200 : null),
                Error = f.Error,
                StopReason = f.StopReason,
                Complete = _complete,
                MaxTokens = _maxTokens,
                Usage = f.Usage?.ToTokenUsage(),
                Cost = f.Cost?.ToCallCost(),
                LatencyMs = f.LatencyMs,
                TtftMs = f.TtftMs,
                TtfbMs = _ttfbMs,
                OutputTokensPerSecond = _tps,
                RequestId = _requestId,
                OrganizationId = _organizationId,
                MessageId = _messageId,
                RateLimits = _rateLimits,
                ToolCalls = _toolCalls is null ? [] : _toolCalls,
                ToolResults = _toolResults,
                ToolResultErrors = _toolResultErrors,
                Tags = _tags is null && !(tracer && TracerTagged) ? CallTags.Empty : f.Tags.ToCallTags(),
                PromptHash = _promptHash,
                QualityFlags = _qualityFlags is null ? Array.Empty<string>() : _qualityFlags, // the shared empty list, as a record built in code has
                ContextUtilisation = _contextUtilisation,
            };
            return true;
        }

        private CallError? ReadError(ref Utf8JsonReader r)
        {
            if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); return null; }
            string? type = null, message = null;
            bool? retryable = null;
            int? statusCode = null;
            var origin = ErrorOrigin.Api;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("type"u8)) { r.Read(); type = Str(ref r); }
                else if (r.ValueTextEquals("message"u8)) { r.Read(); message = Str(ref r, pooled: false); }
                else if (r.ValueTextEquals("retryable"u8)) { r.Read(); retryable = r.TokenType == JsonTokenType.True; }
                else if (r.ValueTextEquals("origin"u8)) { r.Read(); origin = r.ValueTextEquals("transport"u8) ? ErrorOrigin.Transport : r.ValueTextEquals("gateway"u8) ? ErrorOrigin.Gateway : ErrorOrigin.Api; }
                else if (r.ValueTextEquals("status_code"u8)) { r.Read(); statusCode = Int(ref r); }
                else { r.Read(); r.Skip(); }
            }

            type = TracerErrorTypes.Normalise(type, statusCode);
            _errorStatusCode = statusCode;
            return new CallError
            {
                Type = type,
                Message = message,
                Retryable = retryable ?? Anthropic.ErrorTypes.IsRetryable(type, statusCode),
                Origin = origin,
            };
        }

        private readonly UsageValues? ReadUsage(ref Utf8JsonReader r)
        {
            if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); return null; }
            long input = 0, output = 0, write = 0, read = 0, search = 0, fetch = 0;
            long? w5 = null, w1 = null, thinking = null;
            string? tier = null, geo = null, speed = null;
            var last = -1;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var name = r.HasValueSequence || r.ValueIsEscaped ? -1 : UsageNames.Find(r.ValueSpan, ref last);
                r.Read();
                switch (name)
                {
                    case 0: input = Long(ref r) ?? 0; break;
                    case 1: output = Long(ref r) ?? 0; break;
                    case 2: write = Long(ref r) ?? 0; break;
                    case 3: w5 = Long(ref r); break;
                    case 4: w1 = Long(ref r); break;
                    case 5: read = Long(ref r) ?? 0; break;
                    case 6: thinking = Long(ref r); break;
                    case 7: search = Long(ref r) ?? 0; break;
                    case 8: fetch = Long(ref r) ?? 0; break;
                    case 9: tier = Str(ref r); break;
                    case 10: geo = Str(ref r); break;
                    case 11: speed = Str(ref r); break;
                    default: r.Skip(); break;
                }
            }

            return new UsageValues(input, output, write, w5, w1, read, thinking, search, fetch, tier, geo, speed);
        }

        private readonly CostValues? ReadCost(ref Utf8JsonReader r)
        {
            if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); return null; }
            var priced = false;
            decimal total = 0, input = 0, w5 = 0, w1 = 0, read = 0, output = 0, web = 0;
            string? version = null, model = null, reason = null;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("priced"u8)) { r.Read(); priced = r.TokenType == JsonTokenType.True; }
                else if (r.ValueTextEquals("total_usd"u8)) { r.Read(); total = Dec(ref r); }
                else if (r.ValueTextEquals("input_usd"u8)) { r.Read(); input = Dec(ref r); }
                else if (r.ValueTextEquals("cache_write_5m_usd"u8)) { r.Read(); w5 = Dec(ref r); }
                else if (r.ValueTextEquals("cache_write_1h_usd"u8)) { r.Read(); w1 = Dec(ref r); }
                else if (r.ValueTextEquals("cache_read_usd"u8)) { r.Read(); read = Dec(ref r); }
                else if (r.ValueTextEquals("output_usd"u8)) { r.Read(); output = Dec(ref r); }
                else if (r.ValueTextEquals("web_search_usd"u8)) { r.Read(); web = Dec(ref r); }
                else if (r.ValueTextEquals("price_table_version"u8)) { r.Read(); version = Str(ref r); }
                else if (r.ValueTextEquals("pricing_model"u8)) { r.Read(); model = Str(ref r); }
                else if (r.ValueTextEquals("unpriced_reason"u8)) { r.Read(); reason = Str(ref r); }
                else { r.Read(); r.Skip(); }
            }

            return new CostValues(priced, total, input, w5, w1, read, output, web, version, model, reason);
        }

        private readonly BatchCallInfo? ReadBatch(ref Utf8JsonReader r)
        {
            if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); return null; }
            string? id = null, customId = null, result = null, status = null;
            long? count = null;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("id"u8)) { r.Read(); id = Str(ref r); }
                else if (r.ValueTextEquals("custom_id"u8)) { r.Read(); customId = Str(ref r, pooled: false); }
                else if (r.ValueTextEquals("result"u8)) { r.Read(); result = Str(ref r); }
                else if (r.ValueTextEquals("processing_status"u8)) { r.Read(); status = Str(ref r); }
                else if (r.ValueTextEquals("request_count"u8)) { r.Read(); count = Long(ref r); }
                else { r.Read(); r.Skip(); }
            }

            return id is null ? null : new BatchCallInfo { Id = id, CustomId = customId, Result = result, ProcessingStatus = status, RequestCount = count };
        }

        private readonly RateLimitSnapshot? ReadRateLimits(ref Utf8JsonReader r)
        {
            if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); return null; }
            long? rl = null, rr = null, tl = null, tr = null, il = null, ir = null, ol = null, oRem = null;
            DateTimeOffset? rReset = null, tReset = null, iReset = null, oReset = null;
            double? retryAfter = null;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("requests_limit"u8)) { r.Read(); rl = Long(ref r); }
                else if (r.ValueTextEquals("requests_remaining"u8)) { r.Read(); rr = Long(ref r); }
                else if (r.ValueTextEquals("requests_reset"u8)) { r.Read(); rReset = ReadTime(ref r); }
                else if (r.ValueTextEquals("tokens_limit"u8)) { r.Read(); tl = Long(ref r); }
                else if (r.ValueTextEquals("tokens_remaining"u8)) { r.Read(); tr = Long(ref r); }
                else if (r.ValueTextEquals("tokens_reset"u8)) { r.Read(); tReset = ReadTime(ref r); }
                else if (r.ValueTextEquals("input_tokens_limit"u8)) { r.Read(); il = Long(ref r); }
                else if (r.ValueTextEquals("input_tokens_remaining"u8)) { r.Read(); ir = Long(ref r); }
                else if (r.ValueTextEquals("input_tokens_reset"u8)) { r.Read(); iReset = ReadTime(ref r); }
                else if (r.ValueTextEquals("output_tokens_limit"u8)) { r.Read(); ol = Long(ref r); }
                else if (r.ValueTextEquals("output_tokens_remaining"u8)) { r.Read(); oRem = Long(ref r); }
                else if (r.ValueTextEquals("output_tokens_reset"u8)) { r.Read(); oReset = ReadTime(ref r); }
                else if (r.ValueTextEquals("retry_after_s"u8)) { r.Read(); retryAfter = Dbl(ref r); }
                else { r.Read(); r.Skip(); }
            }

            return new RateLimitSnapshot
            {
                RequestsLimit = rl, RequestsRemaining = rr, RequestsReset = rReset,
                TokensLimit = tl, TokensRemaining = tr, TokensReset = tReset,
                InputTokensLimit = il, InputTokensRemaining = ir, InputTokensReset = iReset,
                OutputTokensLimit = ol, OutputTokensRemaining = oRem, OutputTokensReset = oReset,
                RetryAfterSeconds = retryAfter,
            };
        }

        private readonly List<string>? ReadStrings(ref Utf8JsonReader r)
        {
            if (r.TokenType != JsonTokenType.StartArray) { r.Skip(); return null; }
            var values = new List<string>();
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                if (r.TokenType == JsonTokenType.String) values.Add(Str(ref r)!);
                else r.Skip();
            }

            return values;
        }

        private readonly List<ToolCallInfo>? ReadToolCalls(ref Utf8JsonReader r)
        {
            if (r.TokenType != JsonTokenType.StartArray) { r.Skip(); return null; }
            var calls = new List<ToolCallInfo>();
            while (r.Read() && r.TokenType == JsonTokenType.StartObject)
            {
                string? name = null, kind = null;
                List<string> keys = [];
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("name"u8)) { r.Read(); name = Str(ref r); }
                    else if (r.ValueTextEquals("kind"u8)) { r.Read(); kind = Str(ref r); }
                    else if (r.ValueTextEquals("input_keys"u8) && r.Read() && r.TokenType == JsonTokenType.StartArray)
                    {
                        while (r.Read() && r.TokenType == JsonTokenType.String)
                        {
                            keys.Add(Str(ref r)!);
                        }
                    }
                    else { r.Read(); r.Skip(); }
                }

                if (name is not null)
                {
                    calls.Add(new ToolCallInfo(name, keys) { Kind = kind ?? "tool_use" });
                }
            }

            return calls;
        }

        private readonly TagValues? ReadTags(ref Utf8JsonReader r)
        {
            if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); return null; }
            string? user = null, tenant = null, feature = null, session = null, conversation = null, trace = null, span = null, parent = null;
            int? attempt = null;
            Dictionary<string, string>? props = null;
            var last = -1;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var name = r.HasValueSequence || r.ValueIsEscaped ? -1 : TagNames.Find(r.ValueSpan, ref last);
                r.Read();
                switch (name)
                {
                    case 0: user = Str(ref r); break;
                    case 1: tenant = Str(ref r); break;
                    case 2: feature = Str(ref r); break;
                    case 3: session = Str(ref r, pooled: false); break;
                    case 4: conversation = Str(ref r, pooled: false); break;
                    case 5 when _options.Correlation: trace = Str(ref r, pooled: false); break;
                    case 6 when _options.Correlation: span = Str(ref r, pooled: false); break;
                    case 7: parent = Str(ref r, pooled: false); break; // always: a report counts the retries by it
                    case 8: attempt = Int(ref r); break;
                    case 9 when _options.Correlation && r.TokenType == JsonTokenType.StartObject:
                        props = new Dictionary<string, string>(StringComparer.Ordinal);
                        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                        {
                            var key = r.GetString()!;
                            r.Read();
                            if (Str(ref r) is { } value)
                            {
                                props[key] = value;
                            }
                        }

                        break;
                    default: r.Skip(); break;
                }
            }

            return new TagValues(user, tenant, feature, session, conversation, trace, span, parent, attempt, props);
        }

        private readonly string? Str(ref Utf8JsonReader r, bool pooled = true)
        {
            if (r.TokenType != JsonTokenType.String)
            {
                r.Skip();
                return null;
            }

            return pooled && _pool is not null && !r.ValueIsEscaped && !r.HasValueSequence ? _pool.Get(r.ValueSpan) : r.GetString();
        }

        private static long? Long(ref Utf8JsonReader r) =>
            r.TokenType == JsonTokenType.Number && r.TryGetInt64(out var v) ? v
            : r.TokenType == JsonTokenType.Number ? (long)r.GetDouble() : null;

        private static int? Int(ref Utf8JsonReader r) =>
            r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var v) ? v : null;

        // 1e400 parses as infinity: a damaged number is no measurement.
        private static double? Dbl(ref Utf8JsonReader r) =>
            r.TokenType == JsonTokenType.Number && r.GetDouble() is var d && double.IsFinite(d) ? d : null;

        private static decimal Dec(ref Utf8JsonReader r) =>
            r.TokenType == JsonTokenType.Number && r.TryGetDecimal(out var d) ? d : 0m;

        /// <summary>
        /// Unix epoch seconds as a time; null (no time: the line is refused as one without a start) past what a
        /// <see cref="DateTimeOffset"/> holds, as a damaged digit can make it (<c>1793e91200</c>), rather than an exception.
        /// </summary>
        internal static DateTimeOffset? EpochSeconds(double seconds)
        {
            var ticks = seconds * TimeSpan.TicksPerSecond;
            return double.IsFinite(ticks) && ticks >= -DateTimeOffset.UnixEpoch.Ticks && ticks <= DateTimeOffset.MaxValue.Ticks - DateTimeOffset.UnixEpoch.Ticks
                ? DateTimeOffset.UnixEpoch.AddTicks((long)ticks)
                : null;
        }

        /// <summary>ISO 8601 text, or Unix epoch seconds (tracer.py writes <c>time.time()</c>).</summary>
        private static DateTimeOffset? ReadTime(ref Utf8JsonReader r)
        {
            if (r.TokenType == JsonTokenType.Number)
            {
                return EpochSeconds(r.GetDouble());
            }

            if (r.TokenType != JsonTokenType.String)
            {
                r.Skip();
                return null;
            }

            if (r.TryGetDateTimeOffset(out var t))
            {
                // Utf8JsonReader takes a time without an offset as local time; it is UTC here (as the CLI's
                // --since is), so a report does not depend on the time zone of the machine running it.
                return HasOffset(r.ValueSpan) ? t.ToUniversalTime() : new DateTimeOffset(t.DateTime, TimeSpan.Zero);
            }

            if (Utf8Parser.TryParse(r.ValueSpan, out double epoch, out var consumed) && consumed == r.ValueSpan.Length)
            {
                return EpochSeconds(epoch);
            }

            var text = r.GetString();
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed.ToUniversalTime() : null;
        }

        /// <summary>Whether ISO 8601 text names its offset after the time (<c>Z</c>, <c>+02:00</c>, <c>-0500</c>).</summary>
        private static bool HasOffset(ReadOnlySpan<byte> iso)
        {
            var time = iso.IndexOf((byte)'T');
            return time >= 0 && iso[time..].IndexOfAny("Z+-"u8) >= 0;
        }

        /// <summary>A UUIDv7 from the start time and a hash of the line: re-reading a file gives the same ids.</summary>
        private static Guid DeterministicId(DateTimeOffset start, ReadOnlySpan<byte> line)
        {
            Span<byte> bytes = stackalloc byte[16];
            System.IO.Hashing.XxHash128.Hash(line, bytes);
            var ms = start.ToUnixTimeMilliseconds();
            for (var i = 0; i < 6; i++)
            {
                bytes[i] = (byte)(ms >> (8 * (5 - i)));
            }

            bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
            bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
            return new Guid(bytes, bigEndian: true);
        }
    }
}
