using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Claudit.Store.ClickHouse;

/// <summary>
/// ClickHouse's HTTP interface, the one way the store talks to it: a statement per POST, results as
/// <c>TabSeparated</c> lines or <c>JSONEachRow</c>, inserts as <c>JSONEachRow</c> bodies. The official
/// <c>ClickHouse.Driver</c> is not used: its connection sends settings (<c>output_format_binary_write_json_as_string</c>)
/// and binary formats that ClickHouse 18.16, the oldest version supported, refuses (docs/scale-out.md).
/// </summary>
internal sealed class ClickHouseHttp : IDisposable
{
    private readonly HttpClient _client;
    private readonly ClickHouseLocation _location;

    public ClickHouseHttp(ClickHouseLocation location, TimeSpan timeout)
    {
        _location = location;
        _client = new HttpClient { BaseAddress = location.Http, Timeout = timeout };
        // Credentials in headers, never in the URL (which proxies and logs keep).
        _client.DefaultRequestHeaders.Add("X-ClickHouse-User", location.User);
        _client.DefaultRequestHeaders.Add("X-ClickHouse-Key", location.Password);
    }

    /// <summary>Runs a statement that returns nothing (DDL, INSERT), in the location's database unless told otherwise.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken, bool inDatabase = true)
    {
        using var response = await SendAsync(Query(inDatabase), new StringContent(sql, Encoding.UTF8), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts a <c>JSONEachRow</c> body into <paramref name="table"/>.</summary>
    public async Task InsertAsync(string table, byte[] rows, int length, CancellationToken cancellationToken)
    {
        var query = Query(true) + "&query=" + Uri.EscapeDataString($"INSERT INTO {table} FORMAT JSONEachRow");
        using var content = new ByteArrayContent(rows, 0, length);
        using var response = await SendAsync(query, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rows of a query as tab-separated fields (ClickHouse's escaping undone; <c>\N</c> is null).</summary>
    public async Task<List<string?[]>> RowsAsync(string sql, CancellationToken cancellationToken)
    {
        var rows = new List<string?[]>();
        await foreach (var row in StreamRowsAsync(sql, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The rows of a query as tab-separated fields, read as they arrive.</summary>
    public async IAsyncEnumerable<string?[]> StreamRowsAsync(string sql, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Query(true)) { Content = new StringContent(sql + "\nFORMAT TabSeparated", Encoding.UTF8) };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            yield return ClickHouseText.SplitRow(line);
        }
    }

    /// <summary>The one value of a one-row, one-column query.</summary>
    public async Task<string?> ScalarAsync(string sql, CancellationToken cancellationToken, bool inDatabase = true)
    {
        var content = new StringContent(sql + "\nFORMAT TabSeparated", Encoding.UTF8);
        using var response = await SendAsync(Query(inDatabase), content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return ClickHouseText.SplitRow(text.TrimEnd('\n'))[0];
    }

    private string Query(bool inDatabase) =>
        inDatabase ? "?database=" + Uri.EscapeDataString(_location.Database) : "?";

    private async Task<HttpResponseMessage> SendAsync(string query, HttpContent content, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _client.PostAsync(query, content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new StoreException($"ClickHouse at {_location} cannot be reached: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreException($"ClickHouse at {_location} did not answer within {_client.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", ex);
        }

        try
        {
            await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            // ClickHouse's message is its first line; the rest is its stack.
            var first = body.Split('\n', 2)[0].Trim();
            throw new StoreException($"ClickHouse at {_location} refused a statement ({(int)response.StatusCode}): {first}");
        }
    }

    public void Dispose() => _client.Dispose();
}
