using Microsoft.AspNetCore.Http;

namespace Claudit.Mock;

/// <summary>
/// One authenticated request to an endpoint beyond Messages: its exchange, the id it is answered under,
/// the generator seeded by its sequence number (for ids), who sent it, and when (the mock's clock).
/// </summary>
internal sealed record MockCall(HttpContext Context, string RequestId, Random Ids, MockCaller Caller, DateTimeOffset Now)
{
    public HttpRequest Request => Context.Request;

    public CancellationToken Aborted => Context.RequestAborted;

    public string? Route(string name) => Context.Request.RouteValues[name] as string;

    public Task FailAsync(MockError error) => MockHttp.WriteErrorAsync(Context.Response, error, RequestId, Aborted);

    public Task OkAsync(Action<System.Text.Json.Utf8JsonWriter> write) => MockHttp.WriteJsonAsync(Context.Response, 200, write, Aborted);
}
