using System.Globalization;
using System.Text.Json;
using Claudit.Core.Reconcile;

namespace Claudit.Server.Reconcile;

/// <summary>
/// Reads Anthropic's legacy Admin usage and cost reports (shared/reference/anthropic-usage-cost-api.md §2–3):
/// <c>GET /v1/organizations/usage_report/messages</c> grouped by model, service tier, context window and inference
/// geo, and <c>GET /v1/organizations/cost_report</c> grouped by description, each paged through
/// <c>has_more</c>/<c>next_page</c> with the identical query. The Admin key goes in <c>x-api-key</c> and nowhere
/// else. <paramref name="minInterval"/> spaces every call (the docs ask for one call per minute sustained; the
/// CLI pages in a short burst with none).
/// </summary>
public sealed class AdminApiClient(HttpClient http, Uri baseAddress, string adminKey, TimeSpan minInterval, TimeProvider time)
{
    public const string ApiVersion = "2023-06-01";

    private static readonly string[] UsageGroups = ["model", "service_tier", "context_window", "inference_geo"];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset? _lastCall;
    private int _calls;

    /// <summary>Calls made so far (each page is one).</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The usage report's results for buckets of <paramref name="width"/> in [<paramref name="since"/>, <paramref name="until"/>).</summary>
    public async Task<IReadOnlyList<BilledUsageResult>> UsageAsync(DateTimeOffset since, DateTimeOffset until, ReconcileWidth width, CancellationToken cancellationToken)
    {
        var query = Range(since, until) + "&bucket_width=" + ReconcileBuckets.ApiName(width)
            + "&limit=" + (width == ReconcileWidth.Hour ? "168" : "31") + string.Concat(UsageGroups.Select(g => "&group_by[]=" + g));
        var results = new List<BilledUsageResult>();
        await PagesAsync("/v1/organizations/usage_report/messages", query, (bucket, r) =>
        {
            // Usage with no model would be compared with nothing; the API fills model when grouped by it.
            var model = Text(r, "model") ?? "(no model)";
            results.Add(new BilledUsageResult(bucket, model, Text(r, "service_tier") ?? ReconcileKey.StandardTier, Text(r, "context_window"), Text(r, "inference_geo"), new ReconcileAmounts
            {
                UncachedInputTokens = Long(r, "uncached_input_tokens"),
                // Cache writes are nested; a flat cache_creation_input_tokens does not exist here (reference §5).
                CacheWrite5mTokens = r.TryGetProperty("cache_creation", out var cc) ? Long(cc, "ephemeral_5m_input_tokens") : 0,
                CacheWrite1hTokens = r.TryGetProperty("cache_creation", out cc) ? Long(cc, "ephemeral_1h_input_tokens") : 0,
                CacheReadTokens = Long(r, "cache_read_input_tokens"),
                OutputTokens = Long(r, "output_tokens"),
                WebSearchRequests = r.TryGetProperty("server_tool_use", out var tools) ? Long(tools, "web_search_requests") : 0,
                CostUsd = null,
            }));
        }, cancellationToken).ConfigureAwait(false);
        return results;
    }

    /// <summary>The cost report's line items for the UTC days in [<paramref name="since"/>, <paramref name="until"/>), amounts in USD.</summary>
    public async Task<IReadOnlyList<BilledCostLine>> CostAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var lines = new List<BilledCostLine>();
        await PagesAsync("/v1/organizations/cost_report", Range(since, until) + "&bucket_width=1d&limit=31&group_by[]=description", (day, r) =>
        {
            // amount is a decimal string in cents (reference §3.2): parsed exactly, divided by 100 once.
            var cents = decimal.Parse(r.GetProperty("amount").GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
            lines.Add(new BilledCostLine(day, Text(r, "cost_type"), Text(r, "token_type"), Text(r, "model"), Text(r, "service_tier"), Text(r, "context_window"), Text(r, "inference_geo"), cents / 100m));
        }, cancellationToken).ConfigureAwait(false);
        return lines;
    }

    private async Task PagesAsync(string path, string query, Action<DateTimeOffset, JsonElement> result, CancellationToken cancellationToken)
    {
        string? page = null;
        do
        {
            using var document = await GetAsync(path + "?" + query + (page is null ? "" : "&page=" + Uri.EscapeDataString(page)), cancellationToken).ConfigureAwait(false);
            try
            {
                var root = document.RootElement;
                foreach (var bucket in root.GetProperty("data").EnumerateArray())
                {
                    var start = DateTimeOffset.Parse(bucket.GetProperty("starting_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
                    foreach (var r in bucket.GetProperty("results").EnumerateArray())
                    {
                        result(start, r);
                    }
                }

                page = root.TryGetProperty("has_more", out var more) && more.GetBoolean() ? root.GetProperty("next_page").GetString() : null;
            }
            catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
            {
                throw new AdminApiException($"the Admin API at {baseAddress} answered {path} in a shape this claudit does not know: {ex.Message}", ex);
            }
        }
        while (page is not null);
    }

    private async Task<JsonDocument> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var body = await SendAsync(pathAndQuery, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new AdminApiException($"the Admin API at {baseAddress} did not answer JSON: {ex.Message}", ex);
        }
    }

    /// <summary>One GET, spaced from the previous one by at least <c>minInterval</c>; the body of a 2xx answer.</summary>
    private async Task<byte[]> SendAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_lastCall is { } last && last + minInterval - time.GetUtcNow() is { } wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            _lastCall = time.GetUtcNow();
            Interlocked.Increment(ref _calls);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, pathAndQuery));
            request.Headers.TryAddWithoutValidation("x-api-key", adminKey);
            request.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
            request.Headers.TryAddWithoutValidation("User-Agent", "claudit-reconcile");
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? body
                : throw new AdminApiException($"the Admin API at {baseAddress} answered {(int)response.StatusCode} to {pathAndQuery.Split('?')[0]}: {ErrorBodyText.Of(body)}");
        }
        catch (HttpRequestException ex)
        {
            throw new AdminApiException($"cannot reach the Admin API at {baseAddress}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AdminApiException($"the Admin API at {baseAddress} did not answer in time", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Range(DateTimeOffset since, DateTimeOffset until) =>
        "starting_at=" + Uri.EscapeDataString(Rfc3339(since)) + "&ending_at=" + Uri.EscapeDataString(Rfc3339(until));

    private static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long Long(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
}
