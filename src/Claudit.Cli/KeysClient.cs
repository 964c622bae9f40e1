using System.Net.Http.Json;
using Claudit.Server.Keys;

namespace Claudit.Cli;

/// <summary><c>claudit keys … --server URL</c>: the same operations, asked of a running gateway's <c>/api/keys</c>.</summary>
internal static class KeysClient
{
    public static async Task<KeyView> CreateAsync(string server, string? token, VirtualKeyRequest request, CancellationToken cancellationToken)
    {
        using var content = JsonContent.Create(request, KeysJsonContext.Default.VirtualKeyRequest);
        return await SendAsync(server, token, HttpMethod.Post, "/api/keys", content, r => r.ReadFromJsonAsync(KeysJsonContext.Default.KeyView, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public static Task<KeyView[]> ListAsync(string server, string? token, CancellationToken cancellationToken) =>
        SendAsync(server, token, HttpMethod.Get, "/api/keys", null, r => r.ReadFromJsonAsync(KeysJsonContext.Default.KeyViewArray, cancellationToken), cancellationToken);

    public static Task<KeyView> RevokeAsync(string server, string? token, string key, CancellationToken cancellationToken) =>
        SendAsync(server, token, HttpMethod.Delete, "/api/keys/" + Uri.EscapeDataString(key), null, r => r.ReadFromJsonAsync(KeysJsonContext.Default.KeyView, cancellationToken), cancellationToken);

    private static async Task<T> SendAsync<T>(string server, string? token, HttpMethod method, string path, HttpContent? content, Func<HttpContent, Task<T?>> read, CancellationToken cancellationToken)
    {
        var baseUri = ServerClient.BaseUri(server);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(method, new Uri(baseUri, path)) { Content = content };
        ServerClient.Authorize(request, token);
        using var response = await ServerClient.SendAsync(http, request, baseUri, cancellationToken).ConfigureAwait(false);
        return await read(response.Content).ConfigureAwait(false) ?? throw new CliException($"the server at {baseUri} answered nothing.");
    }
}
