using System.Net.Http.Headers;
using System.Text.Json;
using Claudit.Core.Reporting;

namespace Claudit.Cli;

/// <summary><c>claudit report --server URL</c>: the same report, answered by a running gateway's <c>/api/report</c>.</summary>
internal static class ReportClient
{
    public static async Task<Report> FetchAsync(string server, string? token, ReportOptions options, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--server must be an http(s) URL, not '{server}'.");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "/api/report" + ReportQuery.ToQueryString(options)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (token is { Length: > 0 })
        {
            request.Headers.Add("Claudit-Token", token);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"cannot reach the Claudit server at {baseUri}: {ex.Message}", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException($"the server at {baseUri} answered {(int)response.StatusCode}: {Claudit.Server.ErrorBodyText.Of(body)}");
            }

            try
            {
                return JsonSerializer.Deserialize(body, ReportJsonContext.Default.Report)
                    ?? throw new CliException($"the server at {baseUri} answered an empty report.");
            }
            catch (JsonException ex)
            {
                throw new CliException($"the server at {baseUri} did not answer a report (is it a Claudit server?): {ex.Message}", ex);
            }
        }
    }
}
