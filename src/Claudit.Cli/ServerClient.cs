namespace Claudit.Cli;

/// <summary>
/// What every <c>--server URL</c> command shares when it asks a running gateway: the URL checked, the access
/// token sent (<c>Claudit-Token</c>), and a failed answer turned into one line with the server's own message.
/// </summary>
internal static class ServerClient
{
    public static Uri BaseUri(string server) =>
        Uri.TryCreate(server, UriKind.Absolute, out var baseUri) && baseUri.Scheme is "http" or "https"
            ? baseUri
            : throw new CliException($"--server must be an http(s) URL, not '{server}'.");

    public static void Authorize(HttpRequestMessage request, string? token)
    {
        if (token is { Length: > 0 })
        {
            request.Headers.Add("Claudit-Token", token);
        }
    }

    /// <summary>Sends the request; an unreachable server or an error answer is a <see cref="CliException"/> naming it.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, Uri baseUri, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"cannot reach the Claudit server at {baseUri}: {ex.Message}", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            throw new CliException($"the server at {baseUri} answered {(int)response.StatusCode}: {Claudit.Server.ErrorBodyText.Of(body)}");
        }
    }
}
