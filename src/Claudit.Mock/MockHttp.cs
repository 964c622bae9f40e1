using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Claudit.Core.Anthropic;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Claudit.Mock;

/// <summary>What every endpoint of the mock needs: JSON and error bodies, request bodies, query arrays, timestamps.</summary>
internal static class MockHttp
{
    public static Task WriteErrorAsync(HttpResponse response, MockError error, string requestId, CancellationToken ct) =>
        WriteJsonAsync(response, error.Status, w => ErrorBody.Write(w, error.Type, error.Message, requestId), ct);

    public static async Task WriteJsonAsync(HttpResponse response, int status, Action<Utf8JsonWriter> write, CancellationToken ct)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, ct);
    }

    /// <summary>
    /// The body as JSON, or the API's error: 413 past <paramref name="maxBytes"/> (Kestrel's own limit is raised
    /// to it first, as batches may be larger than Messages bodies), 400 when it does not parse.
    /// </summary>
    public static async Task<(JsonDocument? Body, MockError? Error)> ReadJsonAsync(HttpContext context, long maxBytes, CancellationToken ct)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge);
        }

        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            return (null, Unparsable(ex.Message));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge);
        }

        if (JsonText.Problem(body.RootElement) is { } problem)
        {
            body.Dispose();
            return (null, Unparsable(problem));
        }

        return (body, null);
    }

    private static MockError Unparsable(string why) =>
        new(400, ErrorTypes.InvalidRequest, $"There was an error parsing the body of your request: {why}");

    /// <summary>A query array as the API takes it: <c>name[]=a&amp;name[]=b</c> (and, leniently, <c>name=a</c>).</summary>
    public static IReadOnlyList<string> Values(IQueryCollection query, string name)
    {
        var values = new List<string>();
        Add(query[name + "[]"]);
        Add(query[name]);
        return values;

        void Add(StringValues found)
        {
            foreach (var v in found)
            {
                if (!string.IsNullOrEmpty(v))
                {
                    values.Add(v);
                }
            }
        }
    }

    /// <summary>Whether the request names this beta in <c>anthropic-beta</c> (comma-separated, or the header repeated).</summary>
    public static bool HasBeta(HttpRequest request, string beta) =>
        request.Headers["anthropic-beta"].Any(v => v is not null
            && v.Split(',', StringSplitOptions.TrimEntries).Contains(beta, StringComparer.Ordinal));

    /// <summary>RFC 3339 in UTC with microseconds, as the API writes batch times (<c>2024-09-24T18:37:24.100435Z</c>).</summary>
    public static string Precise(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 in UTC to the second, as the API writes model dates and report buckets.</summary>
    public static string Seconds(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A string property, or <c>null</c>: the API writes absent values as explicit nulls.</summary>
    public static void StringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    public static MockError Invalid(string message) => new(400, ErrorTypes.InvalidRequest, message);

    public static MockError NotFound(string message) => new(404, ErrorTypes.NotFound, message);

    private static MockError TooLarge => new(413, ErrorTypes.RequestTooLarge, "Request exceeds the maximum allowed number of bytes.");
}
