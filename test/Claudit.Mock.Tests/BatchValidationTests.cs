using System.Net;
using System.Text.Json.Nodes;
using Claudit.Core.Anthropic;

namespace Claudit.Mock.Tests;

/// <summary>Batches the API refuses at creation, refused the same way: 400 <c>invalid_request_error</c>, nothing created.</summary>
public class BatchValidationTests
{
    private static readonly JsonObject Params = Requests.Message("Valid params.");

    public static TheoryData<string, string> Invalid => new()
    {
        { "duplicate custom_id", BatchHost.Body(BatchHost.Request("same", Params), BatchHost.Request("same", Params)) },
        { "stream in params", BatchHost.Body(BatchHost.Request("s", Params.Streaming())) },
        { "custom_id with a space", BatchHost.Body(BatchHost.Request("has space", Params)) },
        { "custom_id of 65 characters", BatchHost.Body(BatchHost.Request(new string('x', 65), Params)) },
        { "empty custom_id", BatchHost.Body(BatchHost.Request("", Params)) },
        { "no params", new JsonObject { ["requests"] = new JsonArray(new JsonObject { ["custom_id"] = "p" }) }.ToJsonString() },
        { "no requests", "{}" },
        { "empty requests", """{"requests":[]}""" },
        { "not json", "{\"requests\": [" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Invalid_batch_is_400_and_creates_nothing(string why, string body)
    {
        await using var host = await BatchHost.StartAsync();
        var reply = await host.CreateAsync(body);
        var error = reply.AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()), why);
        Assert.Equal(0, host.Host.Server.Mock.Batches);
    }

    [Fact]
    public async Task More_than_100000_requests_are_refused_and_64_character_ids_are_fine()
    {
        await using var host = await BatchHost.StartAsync();
        var tiny = new JsonObject { ["model"] = Requests.Model, ["max_tokens"] = 1, ["messages"] = new JsonArray(Requests.User("x")) };
        var tooMany = new JsonArray([.. Enumerable.Range(0, 100_001).Select(i => (JsonNode)BatchHost.Request("r" + i, (JsonObject)tiny.DeepClone()))]);
        var reply = await host.CreateAsync(new JsonObject { ["requests"] = tooMany }.ToJsonString());
        var error = reply.AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
        Assert.Contains("100000", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var ok = await host.CreateAsync(BatchHost.Body(BatchHost.Request(new string('a', 32) + new string('_', 16) + new string('-', 16), Params), BatchHost.Request("b", Params.With("stream", false))));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
    }

    [Fact]
    public async Task Unknown_batch_id_is_404_everywhere()
    {
        await using var host = await BatchHost.StartAsync();
        (await host.Client.GetAsync("/v1/messages/batches/msgbatch_nope")).AssertError(HttpStatusCode.NotFound, ErrorTypes.NotFound);
        (await host.Client.GetAsync("/v1/messages/batches/msgbatch_nope/results")).AssertError(HttpStatusCode.NotFound, ErrorTypes.NotFound);
        (await host.Client.RequestAsync(HttpMethod.Post, "/v1/messages/batches/msgbatch_nope/cancel")).AssertError(HttpStatusCode.NotFound, ErrorTypes.NotFound);
        (await host.Client.RequestAsync(HttpMethod.Delete, "/v1/messages/batches/msgbatch_nope")).AssertError(HttpStatusCode.NotFound, ErrorTypes.NotFound);
    }

    [Fact]
    public async Task Batches_need_an_api_key_not_an_admin_key()
    {
        await using var host = await BatchHost.StartAsync();
        var body = BatchHost.Body(BatchHost.Request("k", Params));
        (await host.Client.RequestAsync(HttpMethod.Post, "/v1/messages/batches", body, apiKey: null)).AssertError(HttpStatusCode.Unauthorized, ErrorTypes.Authentication);
        (await host.Client.RequestAsync(HttpMethod.Post, "/v1/messages/batches", body, apiKey: Keys.Admin)).AssertError(HttpStatusCode.Unauthorized, ErrorTypes.Authentication);
        Assert.Equal(0, host.Host.Server.Mock.Batches);
    }
}
