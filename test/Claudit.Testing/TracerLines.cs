using System.Text.Json;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;

namespace Claudit.Testing;

/// <summary>
/// A record as the seed's <c>tracer.py</c> decorator writes it (flat tokens, <c>ts_start</c> in epoch seconds,
/// <c>latency_s</c>, the SDK's exception class as the error type, its own <c>cost_usd</c>): the report
/// benchmark's and the report tests' input in that shape, from the same realistic records as the Claudit shape.
/// </summary>
public static class TracerLines
{
    public static void Write(Utf8JsonWriter json, CallRecord record, int line)
    {
        json.WriteStartObject();
        json.WriteString("request_id", record.RequestId);
        json.WriteString("caller", $"app/{record.Tags.Feature ?? "main"}.py:{(line % 400) + 1}");
        json.WriteString("function", record.Tags.Feature ?? "call");
        json.WriteNumber("ts_start", record.StartTime.ToUnixTimeMilliseconds() / 1000.0);
        json.WriteString("model_requested", record.ModelRequested);
        json.WriteString("status", record.IsError ? "error" : "ok");
        if (record.Error is { } error)
        {
            json.WriteStartObject("error");
            json.WriteString("type", SdkClass(error.Type));
            json.WriteString("message", error.Message ?? error.Type);
            if (record.HttpStatus is { } status)
            {
                json.WriteNumber("status_code", status);
            }

            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("error");
        }

        json.WriteNumber("latency_s", record.LatencyMs / 1000.0);
        json.WriteString("model_used", record.ModelUsed);
        json.WriteNumber("input_tokens", record.Usage?.InputTokens ?? 0);
        json.WriteNumber("output_tokens", record.Usage?.OutputTokens ?? 0);
        json.WriteNumber("cache_creation_tokens", record.Usage?.CacheCreationInputTokens ?? 0);
        json.WriteNumber("cache_read_tokens", record.Usage?.CacheReadInputTokens ?? 0);
        json.WriteString("stop_reason", record.StopReason);
        if (record.Cost is { Priced: true } cost)
        {
            json.WriteNumber("cost_usd", (double)cost.TotalUsd);
        }
        else
        {
            json.WriteNull("cost_usd");
        }

        json.WriteEndObject();
    }

    private static string SdkClass(string type) => type switch
    {
        ErrorTypes.RateLimit => "RateLimitError",
        ErrorTypes.Overloaded => "OverloadedError",
        ErrorTypes.TransportTimeout => "APITimeoutError",
        ErrorTypes.Connection => "APIConnectionError",
        ErrorTypes.Authentication => "AuthenticationError",
        ErrorTypes.InvalidRequest => "BadRequestError",
        _ => "APIStatusError",
    };
}
