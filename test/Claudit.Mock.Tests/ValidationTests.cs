using System.Net;
using System.Text.Json.Nodes;
using Claudit.Core.Anthropic;

namespace Claudit.Mock.Tests;

/// <summary>
/// Requests the real API refuses, refused the same way (reference §4): status, <c>error.type</c>, and a
/// body <c>{"type":"error","error":{...},"request_id"}</c> whose id is the <c>request-id</c> header.
/// </summary>
public class ValidationTests(MockServerFixture mock) : IClassFixture<MockServerFixture>
{
    private static readonly JsonObject Valid = Requests.Message("A valid question.");

    [Fact]
    public async Task Missing_api_key_is_401_authentication_error()
    {
        var reply = await mock.Client.PostAsync("/v1/messages", Valid.ToJsonString(), apiKey: false);
        reply.AssertError(HttpStatusCode.Unauthorized, ErrorTypes.Authentication);
    }

    [Fact]
    public async Task A_bearer_token_is_accepted_instead_of_an_api_key()
    {
        var reply = await mock.Client.PostAsync("/v1/messages", Valid.ToJsonString(), apiKey: false, bearer: "sk-ant-oat01-token");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Missing_anthropic_version_is_400_invalid_request_error()
    {
        var reply = await mock.Client.PostAsync("/v1/messages", Valid.ToJsonString(), version: false);
        var error = reply.AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
        Assert.Contains("anthropic-version", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model")]
    [InlineData("max_tokens")]
    [InlineData("messages")]
    public async Task Missing_required_field_is_400_invalid_request_error(string field)
    {
        var reply = await mock.Client.MessagesAsync(Valid.Without(field));
        var error = reply.AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
        Assert.Contains(field, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"model\": \"claude-sonnet-4-5\", \"max_tokens\": 10, \"messages\": [")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("[1, 2, 3]")]
    public async Task Malformed_json_is_400_invalid_request_error(string body)
    {
        var reply = await mock.Client.PostAsync("/v1/messages", body);
        reply.AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
    }

    /// <summary>Bodies that parse as JSON but hold a string that is not text: the API answers 400, never a 500 with an empty body.</summary>
    public static TheoryData<string, byte[]> NotText => new()
    {
        { "a model name that is not UTF-8", [.. "{\"model\": \"claude-"u8, 0xFF, 0xFE, .. "\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"u8] },
        { "a prompt with a lone surrogate escape", "{\"model\": \"claude-sonnet-4-5\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\": \"\\ud800\"}]}"u8.ToArray() },
        { "a property name with a lone surrogate escape", "{\"model\": \"claude-sonnet-4-5\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"metadata\": {\"\\udc00\": 1}}"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(NotText))]
    public async Task A_body_with_a_string_that_is_not_text_is_400_invalid_request_error(string what, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-api-key", Keys.Api);
        request.Headers.Add("anthropic-version", "2023-06-01");

        var reply = await mock.Client.SendAsync(request);

        Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{what}: {(int)reply.Status}");
        var error = reply.AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
        Assert.StartsWith("There was an error parsing the body of your request", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task Max_tokens_below_one_is_400(long maxTokens)
    {
        var reply = await mock.Client.MessagesAsync(Valid.With("max_tokens", maxTokens));
        reply.AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
    }

    [Fact]
    public async Task Thinking_budget_not_below_max_tokens_is_400()
    {
        var reply = await mock.Client.MessagesAsync(Valid.With("max_tokens", 1000)
            .With("thinking", new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 1000 }));
        reply.AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
    }

    [Theory]
    [InlineData("any")]
    [InlineData("tool")]
    public async Task Thinking_with_a_forced_tool_choice_is_400(string choice)
    {
        var toolChoice = new JsonObject { ["type"] = choice };
        if (choice == "tool")
        {
            toolChoice["name"] = "get_weather";
        }

        var body = Valid.With("max_tokens", 4000)
            .With("thinking", new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 1024 })
            .With("tools", new JsonArray(Requests.WeatherTool()));
        var reply = await mock.Client.MessagesAsync(body.With("tool_choice", toolChoice));
        reply.AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);

        // auto (the default) and none work with thinking.
        Assert.Equal(HttpStatusCode.OK, (await mock.Client.MessagesAsync(body)).Status);
        Assert.Equal(HttpStatusCode.OK, (await mock.Client.MessagesAsync(body.With("tool_choice", new JsonObject { ["type"] = "none" }))).Status);
    }

    [Fact]
    public async Task Adaptive_thinking_has_no_budget_to_check_against_max_tokens()
    {
        var reply = await mock.Client.MessagesAsync(Valid.With("max_tokens", 1000)
            .With("thinking", new JsonObject { ["type"] = "adaptive" }));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("thinking", reply.Json.GetProperty("content")[0].GetProperty("type").GetString());
        Assert.InRange(reply.Parsed.Usage!.OutputTokens, 1, 1000);
    }

    [Theory]
    [InlineData("messages", "[]")]
    [InlineData("messages", "\"hello\"")]
    [InlineData("model", "42")]
    [InlineData("max_tokens", "\"1024\"")]
    public async Task Required_field_of_the_wrong_shape_is_400(string field, string json)
    {
        var reply = await mock.Client.MessagesAsync(Valid.With(field, JsonNode.Parse(json)));
        reply.AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
    }

    [Fact]
    public async Task Unknown_model_is_404_not_found_error()
    {
        var reply = await mock.Client.MessagesAsync(Valid.With("model", "claude-imaginary-9"));
        var error = reply.AssertError(HttpStatusCode.NotFound, ErrorTypes.NotFound);
        Assert.Contains("claude-imaginary-9", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var streamed = await mock.Client.MessagesAsync(Valid.With("model", "claude-imaginary-9").Streaming());
        streamed.AssertError(HttpStatusCode.NotFound, ErrorTypes.NotFound); // an error before the stream is a JSON body
    }

    [Fact]
    public async Task Prompt_over_the_context_window_is_400_prompt_is_too_long()
    {
        // claude-haiku-4-5 has a 200K window; ~210K tokens of text go over it.
        var body = Requests.Message(Requests.Filler(210_000, "too-long"), "claude-haiku-4-5");
        var reply = await mock.Client.MessagesAsync(body);
        var error = reply.AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
        Assert.Contains("prompt is too long", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The same text fits a 1M-window model.
        Assert.Equal(HttpStatusCode.OK, (await mock.Client.MessagesAsync(body.With("model", "claude-opus-4-8"))).Status);
    }

    [Fact]
    public async Task Tool_choice_naming_a_tool_not_in_tools_is_400()
    {
        var reply = await mock.Client.MessagesAsync(Valid.With("tools", new JsonArray(Requests.WeatherTool()))
            .With("tool_choice", new JsonObject { ["type"] = "tool", ["name"] = "launch_rocket" }));
        reply.AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
    }

    [Fact]
    public async Task Count_tokens_is_validated_like_messages_but_needs_no_max_tokens()
    {
        var ok = await mock.Client.CountTokensAsync(Valid.Without("max_tokens"));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.StartsWith("req_", ok.RequestId, StringComparison.Ordinal);

        (await mock.Client.CountTokensAsync(Valid.Without("model"))).AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
        (await mock.Client.CountTokensAsync(Valid.Without("messages"))).AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
        (await mock.Client.CountTokensAsync(Valid.With("model", "claude-imaginary-9"))).AssertError(HttpStatusCode.NotFound, ErrorTypes.NotFound);
        (await mock.Client.PostAsync("/v1/messages/count_tokens", Valid.ToJsonString(), apiKey: false)).AssertError(HttpStatusCode.Unauthorized, ErrorTypes.Authentication);
        (await mock.Client.PostAsync("/v1/messages/count_tokens", "{oops")).AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
    }

    [Fact]
    public async Task Unknown_path_is_404_not_found_error_with_a_request_id()
    {
        var reply = await mock.Client.PostAsync("/v1/nothing-here", Valid.ToJsonString());
        reply.AssertError(HttpStatusCode.NotFound, ErrorTypes.NotFound);
    }

    [Fact]
    public async Task Every_error_has_its_own_request_id()
    {
        var ids = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            var reply = await mock.Client.MessagesAsync(Valid.Without("model"));
            reply.AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
            Assert.True(ids.Add(reply.RequestId), "request ids repeat");
        }
    }
}
