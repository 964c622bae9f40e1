using System.Diagnostics;
using System.Diagnostics.Metrics;
using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;
using Claudit.Core.Records;

namespace Claudit.Core.Telemetry;

/// <summary>
/// The metrics of a finished call, on the <c>Claudit</c> meter: the OTel GenAI instruments and the
/// series teams chart for Claude (<c>claude_requests_total</c>, <c>claude_latency_seconds</c>,
/// <c>claude_ttft_seconds</c>, <c>claude_tokens_total{direction}</c>, <c>claude_cost_usd_total</c>,
/// <c>claude_rate_limit_remaining{dimension}</c>, <c>claude_rate_limit_limit{dimension}</c>). Every label takes values
/// from a bounded set: models as the price table's ids (<see cref="MetricLabels"/>), endpoint kinds, stop reasons the
/// API documents, error types of the taxonomy (<see cref="ErrorTypes.ForMetrics"/>), fixed statuses, token classes
/// and dimensions; never users, sessions or request ids (cardinality).
/// </summary>
internal sealed class ClauditMetrics : IDisposable
{
    public const string MeterName = "Claudit";

    private readonly Meter _meter;
    private readonly Histogram<long> _tokenUsage;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _timeToFirstChunk;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _latency;
    private readonly Histogram<double> _ttft;
    private readonly Counter<long> _tokens;
    private readonly Counter<double> _cost;
    private readonly Gauge<long> _rateLimitRemaining;
    private readonly MetricLabels _labels;
    private readonly Gauge<long> _rateLimitLimit;

    /// <param name="factory">Where the meter comes from (DI), else a meter of its own.</param>
    /// <param name="prices">The price table whose model ids are the model labels.</param>
    public ClauditMetrics(IMeterFactory? factory = null, PriceTable? prices = null)
    {
        _labels = new MetricLabels(prices ?? PriceTable.Default);
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _tokenUsage = _meter.CreateHistogram<long>(GenAiConventions.TokenUsageMetric, "{token}", "Tokens used per operation",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = GenAiConventions.TokenBuckets.Select(b => (long)b).ToArray() });
        _duration = _meter.CreateHistogram<double>(GenAiConventions.OperationDurationMetric, "s", "Duration of the operation",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = GenAiConventions.DurationBuckets });
        _timeToFirstChunk = _meter.CreateHistogram<double>(GenAiConventions.TimeToFirstChunkMetric, "s", "Time to the first content chunk of a stream",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = GenAiConventions.DurationBuckets });
        _requests = _meter.CreateCounter<long>("claude_requests", description: "Claude API calls");
        _latency = _meter.CreateHistogram<double>("claude_latency", "s", "Call latency",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = GenAiConventions.DurationBuckets });
        _ttft = _meter.CreateHistogram<double>("claude_ttft", "s", "Time to first token (first content delta)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = GenAiConventions.DurationBuckets });
        _tokens = _meter.CreateCounter<long>("claude_tokens", description: "Tokens by class: input (uncached), output, cache_write, cache_read");
        _cost = _meter.CreateCounter<double>("claude_cost_usd", description: "Cost in USD of priced calls");
        _rateLimitRemaining = _meter.CreateGauge<long>("claude_rate_limit_remaining", description: "anthropic-ratelimit-*-remaining of the latest response");
        _rateLimitLimit = _meter.CreateGauge<long>("claude_rate_limit_limit", description: "anthropic-ratelimit-*-limit of the latest response (headroom = remaining / limit)");
    }

    public void Record(CallRecord r)
    {
        var model = _labels.Model(r.PricedModel);
        var status = r.IsError ? "error" : "ok";
        var errorType = r.IsError ? ErrorTypes.ForMetrics(r.Error?.Type ?? ErrorTypes.Other) : null;
        // Bounded: the record's kind is one of EndpointKinds (the reader maps anything else to its path's kind).
        var endpoint = r.EndpointKind;
        // The GenAI instruments describe chat operations: a batch result's duration is its batch's turnaround.
        var chat = endpoint == EndpointKinds.Messages;
        if (_requests.Enabled)
        {
            var tags = new TagList { { "model", model }, { "endpoint", endpoint }, { "stop_reason", MetricLabels.StopReason(r.StopReason) }, { "status", status } };
            if (errorType is not null)
            {
                tags.Add("error_type", errorType);
            }

            _requests.Add(1, tags);
        }

        if (_latency.Enabled)
        {
            _latency.Record(r.LatencyMs / 1000.0, new TagList { { "model", model }, { "endpoint", endpoint }, { "status", status } });
        }

        if (r.TtftMs is { } ttft)
        {
            if (_ttft.Enabled) _ttft.Record(ttft / 1000.0, new TagList { { "model", model } });
            if (chat && _timeToFirstChunk.Enabled) _timeToFirstChunk.Record(ttft / 1000.0, GenAiTags(r, model));
        }

        if (chat && _duration.Enabled)
        {
            var tags = GenAiTags(r, model);
            if (errorType is not null)
            {
                tags.Add(GenAiConventions.ErrorType, errorType);
            }

            _duration.Record(r.LatencyMs / 1000.0, tags);
        }

        if (r.Usage is { } u)
        {
            if (_tokens.Enabled)
            {
                _tokens.Add(u.InputTokens, new TagList { { "model", model }, { "direction", "input" } });
                _tokens.Add(u.OutputTokens, new TagList { { "model", model }, { "direction", "output" } });
                _tokens.Add(u.CacheCreationInputTokens, new TagList { { "model", model }, { "direction", "cache_write" } });
                _tokens.Add(u.CacheReadInputTokens, new TagList { { "model", model }, { "direction", "cache_read" } });
            }

            if (_tokenUsage.Enabled && EndpointKinds.IsBillable(endpoint))
            {
                // Anthropic rule of the GenAI conventions: input = uncached + cache writes + cache reads.
                var input = GenAiTags(r, model);
                input.Add(GenAiConventions.TokenType, "input");
                _tokenUsage.Record(u.TotalInputTokens, input);
                var output = GenAiTags(r, model);
                output.Add(GenAiConventions.TokenType, "output");
                _tokenUsage.Record(u.OutputTokens, output);
            }
        }

        if (r.Cost is { Priced: true } c && _cost.Enabled)
        {
            _cost.Add((double)c.TotalUsd, new TagList { { "model", model } });
        }

        if (r.RateLimits is { } rl && _rateLimitRemaining.Enabled)
        {
            Latest(_rateLimitRemaining, rl.RequestsRemaining, "requests");
            Latest(_rateLimitRemaining, rl.TokensRemaining, "tokens");
            Latest(_rateLimitRemaining, rl.InputTokensRemaining, "input_tokens");
            Latest(_rateLimitRemaining, rl.OutputTokensRemaining, "output_tokens");
        }

        if (r.RateLimits is { } limits && _rateLimitLimit.Enabled)
        {
            Latest(_rateLimitLimit, limits.RequestsLimit, "requests");
            Latest(_rateLimitLimit, limits.TokensLimit, "tokens");
            Latest(_rateLimitLimit, limits.InputTokensLimit, "input_tokens");
            Latest(_rateLimitLimit, limits.OutputTokensLimit, "output_tokens");
        }
    }

    private static void Latest(Gauge<long> gauge, long? value, string dimension)
    {
        if (value is { } v)
        {
            gauge.Record(v, new TagList { { "dimension", dimension } });
        }
    }

    private TagList GenAiTags(CallRecord r, string model) => new()
    {
        { GenAiConventions.ProviderName, GenAiConventions.Anthropic },
        { GenAiConventions.OperationName, GenAiConventions.Chat },
        { GenAiConventions.RequestModel, r.ModelRequested is null ? model : _labels.Model(r.ModelRequested) },
        { GenAiConventions.ResponseModel, model },
    };

    public void Dispose() => _meter.Dispose();
}
