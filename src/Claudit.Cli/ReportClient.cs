using System.Net.Http.Headers;
using System.Text.Json;
using Claudit.Core.Reporting;

namespace Claudit.Cli;

/// <summary><c>claudit report --server URL</c>: the same report, answered by a running gateway's <c>/api/report</c>.</summary>
internal static class ReportClient
{
    public static async Task<Report> FetchAsync(string server, string? token, ReportOptions options, CancellationToken cancellationToken)
    {
        var baseUri = ServerClient.BaseUri(server);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "/api/report" + ReportQuery.ToQueryString(options)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        ServerClient.Authorize(request, token);
        using var response = await ServerClient.SendAsync(http, request, baseUri, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
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
