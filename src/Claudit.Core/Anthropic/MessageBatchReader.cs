using System.Text.Json;

namespace Claudit.Core.Anthropic;

/// <summary>
/// Reads the Message Batches API's answers (a <c>message_batch</c> object, or a page of them under
/// <c>data</c>): the batches they describe and where each <c>results_url</c> string sits in the bytes, so
/// that a proxy can point it at itself. Never throws: a body that is not JSON describes no batch.
/// </summary>
public static class MessageBatchReader
{
    /// <summary>The batches in <paramref name="body"/>, and the byte range (from the opening quote, through the closing one) of every <c>results_url</c> string.</summary>
    public static (List<MessageBatchSnapshot> Batches, List<Range> ResultsUrls) Read(ReadOnlySpan<byte> body)
    {
        var batches = new List<MessageBatchSnapshot>();
        var urls = new List<Range>();
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (batches, urls);
            }

            ReadObject(ref reader, batches, urls);
        }
        catch (JsonException)
        {
            // What was read before the damage stands; nothing after it is trusted.
        }

        return (batches, urls);
    }

    /// <summary>Reader on an object's StartObject; ends on its EndObject. Nested pages (<c>data</c>) are read too.</summary>
    private static void ReadObject(ref Utf8JsonReader r, List<MessageBatchSnapshot> batches, List<Range> urls)
    {
        string? id = null, type = null, status = null, resultsUrl = null;
        long? processing = null, succeeded = null, errored = null, canceled = null, expired = null;
        DateTimeOffset? created = null, ended = null, expires = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("id"u8)) { r.Read(); id = Str(ref r); }
            else if (r.ValueTextEquals("type"u8)) { r.Read(); type = Str(ref r); }
            else if (r.ValueTextEquals("processing_status"u8)) { r.Read(); status = Str(ref r); }
            else if (r.ValueTextEquals("created_at"u8)) { r.Read(); created = Time(ref r); }
            else if (r.ValueTextEquals("ended_at"u8)) { r.Read(); ended = Time(ref r); }
            else if (r.ValueTextEquals("expires_at"u8)) { r.Read(); expires = Time(ref r); }
            else if (r.ValueTextEquals("results_url"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.String)
                {
                    var start = (int)r.TokenStartIndex;
                    urls.Add(new Range(start, start + r.ValueSpan.Length + 2));
                    resultsUrl = r.GetString();
                }
            }
            else if (r.ValueTextEquals("request_counts"u8) && r.Read() && r.TokenType == JsonTokenType.StartObject)
            {
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("processing"u8)) { r.Read(); processing = Long(ref r); }
                    else if (r.ValueTextEquals("succeeded"u8)) { r.Read(); succeeded = Long(ref r); }
                    else if (r.ValueTextEquals("errored"u8)) { r.Read(); errored = Long(ref r); }
                    else if (r.ValueTextEquals("canceled"u8)) { r.Read(); canceled = Long(ref r); }
                    else if (r.ValueTextEquals("expired"u8)) { r.Read(); expired = Long(ref r); }
                    else { r.Read(); r.Skip(); }
                }
            }
            else if (r.ValueTextEquals("data"u8) && r.Read() && r.TokenType == JsonTokenType.StartArray)
            {
                while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                {
                    if (r.TokenType == JsonTokenType.StartObject)
                    {
                        ReadObject(ref r, batches, urls);
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

        if (type == "message_batch" && id is not null)
        {
            var counts = new[] { processing, succeeded, errored, canceled, expired };
            batches.Add(new MessageBatchSnapshot
            {
                Id = id,
                ProcessingStatus = status,
                RequestCount = counts.Any(c => c is not null) ? counts.Sum(c => c ?? 0) : null,
                Succeeded = succeeded ?? 0,
                Errored = errored ?? 0,
                Canceled = canceled ?? 0,
                Expired = expired ?? 0,
                CreatedAt = created,
                EndedAt = ended,
                ExpiresAt = expires,
                ResultsUrl = resultsUrl,
            });
        }
    }

    private static string? Str(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.String)
        {
            return r.GetString();
        }

        r.Skip();
        return null;
    }

    private static long? Long(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Number && r.TryGetInt64(out var v) ? v : null;

    private static DateTimeOffset? Time(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.String && r.TryGetDateTimeOffset(out var t) ? t.ToUniversalTime() : null;
}
