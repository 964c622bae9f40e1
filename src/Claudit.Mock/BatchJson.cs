using System.Text.Json;
using Claudit.Core.Anthropic;

namespace Claudit.Mock;

/// <summary>The Message Batches API's JSON: the <c>message_batch</c> object, the deletion answer, and one results line.</summary>
internal static class BatchJson
{
    /// <summary><paramref name="origin"/> (<c>http://127.0.0.1:4010</c>) makes <c>results_url</c> absolute, as the API's is.</summary>
    public static void WriteBatch(Utf8JsonWriter w, BatchSnapshot batch, string origin)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, batch.Id);
        w.WriteString("type"u8, "message_batch"u8);
        w.WriteString("processing_status"u8, batch.Status);
        w.WriteStartObject("request_counts"u8);
        w.WriteNumber("processing"u8, batch.Counts.Processing);
        w.WriteNumber("succeeded"u8, batch.Counts.Succeeded);
        w.WriteNumber("errored"u8, batch.Counts.Errored);
        w.WriteNumber("canceled"u8, batch.Counts.Canceled);
        w.WriteNumber("expired"u8, batch.Counts.Expired);
        w.WriteEndObject();
        WriteTime(w, "ended_at"u8, batch.EndedAt);
        WriteTime(w, "created_at"u8, batch.CreatedAt);
        WriteTime(w, "expires_at"u8, batch.ExpiresAt);
        WriteTime(w, "cancel_initiated_at"u8, batch.CancelInitiatedAt);
        if (batch.EndedAt is null)
        {
            w.WriteNull("results_url"u8);
        }
        else
        {
            w.WriteString("results_url"u8, $"{origin}/v1/messages/batches/{batch.Id}/results");
        }

        w.WriteNull("archived_at"u8); // the mock keeps results as long as it keeps the batch
        w.WriteEndObject();
    }

    public static void WriteDeleted(Utf8JsonWriter w, string id)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, id);
        w.WriteString("type"u8, "message_batch_deleted"u8);
        w.WriteEndObject();
    }

    /// <summary><c>{"custom_id":…,"result":{"type":…}}</c>: a Message, an error response, or nothing for canceled and expired requests.</summary>
    public static void WriteResult(Utf8JsonWriter w, string customId, BatchOutcome outcome)
    {
        w.WriteStartObject();
        w.WriteString("custom_id"u8, customId);
        w.WriteStartObject("result"u8);
        w.WriteString("type"u8, outcome.Type);
        switch (outcome)
        {
            case SucceededOutcome s:
                w.WritePropertyName("message"u8);
                MessageJson.WriteMessage(w, s.Message);
                break;
            case ErroredOutcome e:
                w.WritePropertyName("error"u8);
                ErrorBody.Write(w, e.Error.Type, e.Error.Message, e.RequestId);
                break;
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter w, ReadOnlySpan<byte> name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            w.WriteString(name, MockHttp.Precise(t));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
