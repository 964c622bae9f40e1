using System.Diagnostics;
using Claudit.Core.Records;

namespace Claudit.Core.Telemetry;

/// <summary>
/// Spans of Claude calls on the <c>Claudit</c> activity source, following the GenAI conventions:
/// <c>chat {model}</c>, kind CLIENT, <c>gen_ai.*</c> attributes with cache read and write tokens,
/// cost as <c>claudit.cost_usd</c>. The gateway emits a finished call's span from its record, with
/// the caller's <c>traceparent</c> as parent, so the call joins the caller's trace.
/// </summary>
public static class ClauditTracing
{
    public const string SourceName = "Claudit";

    public static ActivitySource Source { get; } = new(SourceName, typeof(ClauditTracing).Assembly.GetName().Version?.ToString());

    /// <summary>Emits the span of a finished call; nothing is built when no one listens.</summary>
    public static void EmitSpan(CallRecord record, string? serverAddress = null, int? serverPort = null)
    {
        if (!Source.HasListeners())
        {
            return;
        }

        var parent = ParentContext(record.Tags);
        using var activity = Source.StartActivity(SpanName(record), ActivityKind.Client, parent, startTime: record.StartTime);
        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            SetAttributes(activity, record);
            if (serverAddress is not null)
            {
                activity.SetTag(GenAiConventions.ServerAddress, serverAddress);
                activity.SetTag(GenAiConventions.ServerPort, serverPort);
            }
        }

        activity.SetEndTime((record.StartTime + TimeSpan.FromMilliseconds(record.LatencyMs)).UtcDateTime);
    }

    public static string SpanName(CallRecord record) =>
        (record.ModelRequested ?? record.ModelUsed) is { } model ? $"{GenAiConventions.Chat} {model}" : GenAiConventions.Chat;

    /// <summary>The GenAI and Claudit attributes of a call, for any span that represents it.</summary>
    public static void SetAttributes(Activity activity, CallRecord r)
    {
        activity.SetTag(GenAiConventions.ProviderName, GenAiConventions.Anthropic);
        activity.SetTag(GenAiConventions.OperationName, GenAiConventions.Chat);
        activity.SetTag(GenAiConventions.RequestModel, r.ModelRequested);
        activity.SetTag(GenAiConventions.RequestMaxTokens, r.MaxTokens);
        activity.SetTag(GenAiConventions.RequestStream, r.Streaming);
        activity.SetTag(GenAiConventions.ResponseModel, r.ModelUsed);
        activity.SetTag(GenAiConventions.ResponseId, r.MessageId);
        if (r.StopReason is { } stop)
        {
            activity.SetTag(GenAiConventions.ResponseFinishReasons, new[] { stop });
        }

        if (r.TtftMs is { } ttft)
        {
            activity.SetTag(GenAiConventions.ResponseTimeToFirstChunk, ttft / 1000.0);
        }

        if (r.Usage is { } u)
        {
            // Anthropic rule of the conventions: input = uncached + cache writes + cache reads.
            activity.SetTag(GenAiConventions.UsageInputTokens, u.TotalInputTokens);
            activity.SetTag(GenAiConventions.UsageOutputTokens, u.OutputTokens);
            activity.SetTag(GenAiConventions.UsageCacheReadTokens, u.CacheReadInputTokens);
            activity.SetTag(GenAiConventions.UsageCacheWriteTokens, u.CacheCreationInputTokens);
            activity.SetTag(GenAiConventions.UsageCacheCreationTokens, u.CacheCreationInputTokens); // the pre-2026-08 name, for older backends
            if (u.ThinkingTokens is { } thinking)
            {
                activity.SetTag(GenAiConventions.UsageReasoningTokens, thinking);
            }
        }

        if ((r.Tags.Conversation ?? r.Tags.Session) is { } conversation)
        {
            activity.SetTag(GenAiConventions.ConversationId, conversation);
        }

        if (r.Cost is { Priced: true } cost)
        {
            activity.SetTag(ClauditAttributes.CostUsd, (double)cost.TotalUsd);
        }

        activity.SetTag(ClauditAttributes.CallId, r.Id.ToString());
        activity.SetTag(ClauditAttributes.EndpointKind, r.EndpointKind);
        activity.SetTag(ClauditAttributes.BatchId, r.Batch?.Id);
        activity.SetTag(ClauditAttributes.RequestId, r.RequestId);
        activity.SetTag(ClauditAttributes.User, r.Tags.User);
        activity.SetTag(ClauditAttributes.Tenant, r.Tags.Tenant);
        activity.SetTag(ClauditAttributes.Feature, r.Tags.Feature);
        activity.SetTag(ClauditAttributes.Session, r.Tags.Session);
        if (r.Tags.Attempt is { } attempt)
        {
            activity.SetTag(ClauditAttributes.Attempt, attempt);
            activity.SetTag(ClauditAttributes.ParentId, r.Tags.ParentId);
        }

        if (r.Error is { } error)
        {
            activity.SetTag(GenAiConventions.ErrorType, error.Type);
            activity.SetStatus(ActivityStatusCode.Error, error.Message ?? error.Type);
        }
    }

    private static ActivityContext ParentContext(CallTags tags)
    {
        if (tags.TraceId is { Length: 32 } trace && tags.SpanId is { Length: 16 } span)
        {
            try
            {
                return new ActivityContext(ActivityTraceId.CreateFromString(trace), ActivitySpanId.CreateFromString(span), ActivityTraceFlags.Recorded, isRemote: true);
            }
            catch (ArgumentOutOfRangeException)
            {
                // not hex after all: a root span
            }
        }

        return default;
    }
}
