using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;

namespace Claudit.Core.Capture;

/// <summary>What is known of a batch when its results are read: where they were read, and what the batch's creation told.</summary>
public readonly record struct BatchResultContext(string BatchId, string Endpoint, DateTimeOffset StartTime, double LatencyMs, CallTags Tags, CallSource Source);

/// <summary>
/// One line of a Message Batch results file (<c>{"custom_id", "result": {"type", "message" | "error"}}</c>)
/// as a call record, not yet priced (the finisher prices it; its usage says <c>service_tier: batch</c>).
/// The id is a name-based UUID (v5) of the batch id and the <c>custom_id</c>: reading the same results
/// twice makes the same records, which the store's idempotent append then skips.
/// </summary>
public static class BatchResultRecords
{
    /// <summary>The RFC 4122 namespace of Claudit's batch-result ids.</summary>
    private static readonly Guid Namespace = new("6f1d3c2a-8b5e-4f47-9a0c-2d7e51b3c9a4");

    /// <summary>The line as a record; null with the reason when it is not a result line.</summary>
    public static CallRecord? Read(ReadOnlySpan<byte> line, in BatchResultContext context, out string? problem)
    {
        problem = null;
        string? customId = null, type = null;
        MessageObservation? observed = null;
        try
        {
            var r = new Utf8JsonReader(line);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                problem = "not a JSON object";
                return null;
            }

            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("custom_id"u8))
                {
                    r.Read();
                    customId = r.TokenType == JsonTokenType.String ? r.GetString() : null;
                }
                else if (r.ValueTextEquals("result"u8) && r.Read() && r.TokenType == JsonTokenType.StartObject)
                {
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        if (r.ValueTextEquals("type"u8))
                        {
                            r.Read();
                            type = r.TokenType == JsonTokenType.String ? r.GetString() : null;
                        }
                        else if ((r.ValueTextEquals("message"u8) || r.ValueTextEquals("error"u8)) && r.Read() && r.TokenType == JsonTokenType.StartObject)
                        {
                            // The Message, or the error response, read by the same parser as a Messages answer.
                            var start = (int)r.TokenStartIndex;
                            r.Skip();
                            observed = MessageResponseParser.Parse(line[start..(int)r.BytesConsumed]);
                        }
                        else
                        {
                            r.Skip();
                        }
                    }
                }
                else
                {
                    r.Read();
                    r.Skip();
                }
            }
        }
        catch (JsonException ex)
        {
            problem = ex.Message;
            return null;
        }

        if (customId is null || type is not ("succeeded" or "errored" or "canceled" or "expired"))
        {
            problem = customId is null ? "no custom_id" : $"unknown result type '{type}'";
            return null;
        }

        var usage = type == "succeeded" ? observed?.Usage : null;
        return new CallRecord
        {
            Id = IdOf(context.BatchId, customId),
            StartTime = context.StartTime,
            Source = context.Source,
            Endpoint = context.Endpoint,
            EndpointKind = EndpointKinds.BatchResult,
            ModelUsed = observed?.Model,
            Status = type == "succeeded" ? CallStatus.Ok : CallStatus.Error,
            Error = ErrorOf(type, observed),
            StopReason = observed?.StopReason,
            // A batch is billed at the batch rate whatever its usage says: the tier is the batch's.
            Usage = usage is null ? null : usage with { ServiceTier = "batch" },
            LatencyMs = context.LatencyMs,
            RequestId = observed?.RequestId,
            ToolCalls = observed?.ToolCalls ?? [],
            Tags = context.Tags,
            Batch = new BatchCallInfo { Id = context.BatchId, CustomId = customId, Result = type },
        };
    }

    /// <summary>The record id of a batch's request: a version-5 UUID of <c>{batch id}/{custom_id}</c>.</summary>
    public static Guid IdOf(string batchId, string customId)
    {
        Span<byte> name = stackalloc byte[16 + Encoding.UTF8.GetMaxByteCount(batchId.Length + 1 + customId.Length)];
        Namespace.TryWriteBytes(name, bigEndian: true, out _);
        var length = 16 + Encoding.UTF8.GetBytes(batchId, name[16..]);
        name[length++] = (byte)'/';
        length += Encoding.UTF8.GetBytes(customId, name[length..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // RFC 4122 name-based ids are defined on SHA-1; nothing here is a secret
        SHA1.HashData(name[..length], hash);
#pragma warning restore CA5350
        hash[6] = (byte)(0x50 | (hash[6] & 0x0F));
        hash[8] = (byte)(0x80 | (hash[8] & 0x3F));
        return new Guid(hash[..16], bigEndian: true);
    }

    private static CallError? ErrorOf(string type, MessageObservation? observed) => type switch
    {
        "errored" => new CallError
        {
            Type = observed?.ErrorType ?? ErrorTypes.Api,
            Message = SecretScrubber.Scrub(observed?.ErrorMessage),
            Retryable = ErrorTypes.IsRetryable(observed?.ErrorType ?? ErrorTypes.Api, null),
            Origin = ErrorOrigin.Api,
        },
        "canceled" => new CallError { Type = ErrorTypes.Canceled, Message = "the batch was canceled before this request was processed", Origin = ErrorOrigin.Api },
        "expired" => new CallError { Type = ErrorTypes.BatchExpired, Message = "the batch expired before this request was processed", Origin = ErrorOrigin.Api },
        _ => null,
    };
}
