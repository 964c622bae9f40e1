using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Claudit.Core.Anthropic;

namespace Claudit.Mock.Tests;

/// <summary>
/// The Message Batches lifecycle (docs/reference/anthropic-batches-and-models.md §1) on a clock the test moves:
/// create → in_progress → ended, results, cancel, expiry, delete, list.
/// </summary>
public class BatchLifecycleTests
{
    private static JsonObject Failing(string text) => Requests.Message(text).With("metadata", new JsonObject { ["user_id"] = "mock-batch-error" });

    [Fact]
    public async Task A_batch_runs_from_in_progress_to_ended_and_its_results_hold_one_line_per_request()
    {
        await using var host = await BatchHost.StartAsync(TimeSpan.FromSeconds(10));
        var created = await host.CreateOkAsync(
            BatchHost.Request("first", Requests.Message("Batch question one.")),
            BatchHost.Request("second", Requests.Message("Batch question two.", model: "claude-haiku-4-5")),
            BatchHost.Request("failing", Failing("Batch question three.")));

        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("msgbatch_", id, StringComparison.Ordinal);
        Assert.Equal("message_batch", created.GetProperty("type").GetString());
        Assert.Equal("in_progress", created.GetProperty("processing_status").GetString());
        Assert.Equal((3, 0, 0, 0, 0), BatchHost.Counts(created));
        Assert.Equal(BatchHost.Start, BatchHost.At(created, "created_at"));
        Assert.Equal(BatchHost.Start.AddHours(24), BatchHost.At(created, "expires_at"));
        foreach (var field in new[] { "ended_at", "cancel_initiated_at", "results_url", "archived_at" })
        {
            Assert.Equal(JsonValueKind.Null, created.GetProperty(field).ValueKind);
        }

        // Part-way: requests are being processed, but the counts move only once the whole batch has ended.
        host.Time.Advance(TimeSpan.FromSeconds(7));
        var midway = await host.GetAsync(id);
        Assert.Equal("in_progress", midway.GetProperty("processing_status").GetString());
        Assert.Equal((3, 0, 0, 0, 0), BatchHost.Counts(midway));
        (await host.Client.GetAsync($"/v1/messages/batches/{id}/results")).AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);

        host.Time.Advance(TimeSpan.FromSeconds(3));
        var ended = await host.GetAsync(id);
        Assert.Equal("ended", ended.GetProperty("processing_status").GetString());
        Assert.Equal((0, 2, 1, 0, 0), BatchHost.Counts(ended));
        Assert.Equal(BatchHost.Start.AddSeconds(10), BatchHost.At(ended, "ended_at"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", ended.GetProperty("created_at").GetString());

        // results_url is absolute, built from where the caller reached the mock, and it works.
        var resultsUrl = ended.GetProperty("results_url").GetString()!;
        Assert.Equal(new Uri(host.Client.BaseAddress, $"/v1/messages/batches/{id}/results").ToString(), resultsUrl);
        Assert.StartsWith("http://127.0.0.1:", resultsUrl, StringComparison.Ordinal);
        var lines = await host.ResultsAsync(id);
        Assert.Equal(["first", "second", "failing"], lines.Select(l => l.GetProperty("custom_id").GetString()));

        foreach (var line in lines.Take(2))
        {
            var result = line.GetProperty("result");
            Assert.Equal("succeeded", result.GetProperty("type").GetString());
            var message = result.GetProperty("message");
            Assert.StartsWith("msg_", message.GetProperty("id").GetString(), StringComparison.Ordinal);
            Assert.Equal("batch", message.GetProperty("usage").GetProperty("service_tier").GetString());
            // A full Message, read by Claudit's own parser like any /v1/messages answer.
            var parsed = MessageResponseParser.Parse(JsonSerializer.SerializeToUtf8Bytes(message));
            Assert.True(parsed.Complete);
            Assert.True(parsed.Usage!.OutputTokens > 0);
        }

        // Same planner as /v1/messages: the same prompt counts the same input tokens.
        var counted = await host.Client.CountTokensAsync(Requests.Message("Batch question one.").Without("max_tokens"));
        Assert.Equal(counted.Json.GetProperty("input_tokens").GetInt64(),
            lines[0].GetProperty("result").GetProperty("message").GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal("claude-haiku-4-5", lines[1].GetProperty("result").GetProperty("message").GetProperty("model").GetString());

        var errored = lines[2].GetProperty("result");
        Assert.Equal("errored", errored.GetProperty("type").GetString());
        var error = errored.GetProperty("error");
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal(ErrorTypes.Api, error.GetProperty("error").GetProperty("type").GetString());
        Assert.StartsWith("req_", error.GetProperty("request_id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Params_the_messages_api_would_refuse_come_back_errored_with_that_error()
    {
        await using var host = await BatchHost.StartAsync(TimeSpan.FromSeconds(1));
        var created = await host.CreateOkAsync(
            BatchHost.Request("unknown-model", Requests.Message("Hi.", model: "claude-imaginary-9")),
            BatchHost.Request("no-max-tokens", Requests.Message("Hi.").Without("max_tokens")));
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var lines = await host.ResultsAsync(created.GetProperty("id").GetString()!);
        Assert.Equal(ErrorTypes.NotFound, lines[0].GetProperty("result").GetProperty("error").GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(ErrorTypes.InvalidRequest, lines[1].GetProperty("result").GetProperty("error").GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Cancel_ends_the_unprocessed_requests_as_canceled()
    {
        await using var host = await BatchHost.StartAsync(TimeSpan.FromSeconds(10));
        var id = (await host.CreateOkAsync(
            BatchHost.Request("a", Requests.Message("Cancel me one.")),
            BatchHost.Request("b", Requests.Message("Cancel me two.")),
            BatchHost.Request("c", Requests.Message("Cancel me three.")),
            BatchHost.Request("d", Requests.Message("Cancel me four.")))).GetProperty("id").GetString()!;

        // Request "a" is processed at 2.5 s; at 3 s the others are still waiting.
        host.Time.Advance(TimeSpan.FromSeconds(3));
        var cancel = await host.Client.RequestAsync(HttpMethod.Post, $"/v1/messages/batches/{id}/cancel");
        Assert.Equal(HttpStatusCode.OK, cancel.Status);
        var canceling = cancel.Json;
        Assert.Equal("canceling", canceling.GetProperty("processing_status").GetString());
        Assert.Equal(BatchHost.Start.AddSeconds(3), BatchHost.At(canceling, "cancel_initiated_at"));
        Assert.Equal(JsonValueKind.Null, canceling.GetProperty("results_url").ValueKind);

        // Canceling again changes nothing.
        var again = await host.Client.RequestAsync(HttpMethod.Post, $"/v1/messages/batches/{id}/cancel");
        Assert.Equal(BatchHost.Start.AddSeconds(3), BatchHost.At(again.Json, "cancel_initiated_at"));

        host.Time.Advance(TimeSpan.FromSeconds(1));
        var ended = await host.GetAsync(id);
        Assert.Equal("ended", ended.GetProperty("processing_status").GetString());
        Assert.Equal((0, 1, 0, 3, 0), BatchHost.Counts(ended));
        Assert.True(BatchHost.At(ended, "ended_at") < BatchHost.Start.AddSeconds(10), "a canceled batch ends before it would have");
        var results = (await host.ResultsAsync(id)).ToDictionary(l => l.GetProperty("custom_id").GetString()!, l => l.GetProperty("result"));
        Assert.Equal("succeeded", results["a"].GetProperty("type").GetString());
        Assert.All(new[] { "b", "c", "d" }, k => Assert.Equal("canceled", results[k].GetProperty("type").GetString()));
        Assert.Equal("""{"type":"canceled"}""", results["b"].GetRawText());

        (await host.Client.RequestAsync(HttpMethod.Post, $"/v1/messages/batches/{id}/cancel")).AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);
    }

    [Fact]
    public async Task Requests_not_processed_within_24_hours_expire()
    {
        // Processing compressed to 30 h: requests scheduled at 6, 12, 18, 24 and 30 h; the last is past expires_at.
        await using var host = await BatchHost.StartAsync(TimeSpan.FromHours(30));
        var id = (await host.CreateOkAsync([.. Enumerable.Range(1, 5).Select(i => BatchHost.Request($"r{i}", Requests.Message($"Slow batch {i}.")))]))
            .GetProperty("id").GetString()!;
        host.Time.Advance(TimeSpan.FromHours(23));
        Assert.Equal("in_progress", (await host.GetAsync(id)).GetProperty("processing_status").GetString());
        host.Time.Advance(TimeSpan.FromHours(1));
        var ended = await host.GetAsync(id);
        Assert.Equal("ended", ended.GetProperty("processing_status").GetString());
        Assert.Equal(BatchHost.At(ended, "expires_at"), BatchHost.At(ended, "ended_at"));
        Assert.Equal((0, 4, 0, 0, 1), BatchHost.Counts(ended));
        Assert.Equal("expired", (await host.ResultsAsync(id))[4].GetProperty("result").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Delete_needs_an_ended_batch_then_the_batch_is_gone()
    {
        await using var host = await BatchHost.StartAsync(TimeSpan.FromSeconds(10));
        var id = (await host.CreateOkAsync(BatchHost.Request("only", Requests.Message("Delete me.")))).GetProperty("id").GetString()!;
        (await host.Client.RequestAsync(HttpMethod.Delete, "/v1/messages/batches/" + id)).AssertError(HttpStatusCode.BadRequest, ErrorTypes.InvalidRequest);

        host.Time.Advance(TimeSpan.FromSeconds(10));
        var deleted = await host.Client.RequestAsync(HttpMethod.Delete, "/v1/messages/batches/" + id);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal($$"""{"id":"{{id}}","type":"message_batch_deleted"}""", deleted.Text);

        (await host.Client.GetAsync("/v1/messages/batches/" + id)).AssertError(HttpStatusCode.NotFound, ErrorTypes.NotFound);
        (await host.Client.GetAsync($"/v1/messages/batches/{id}/results")).AssertError(HttpStatusCode.NotFound, ErrorTypes.NotFound);
        (await host.Client.RequestAsync(HttpMethod.Delete, "/v1/messages/batches/" + id)).AssertError(HttpStatusCode.NotFound, ErrorTypes.NotFound);
        (await host.Client.RequestAsync(HttpMethod.Post, $"/v1/messages/batches/{id}/cancel")).AssertError(HttpStatusCode.NotFound, ErrorTypes.NotFound);
    }

    [Fact]
    public async Task The_list_is_newest_first_and_pages_like_the_models_list()
    {
        await using var host = await BatchHost.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await host.CreateOkAsync(BatchHost.Request("q", Requests.Message($"List me {i}.")))).GetProperty("id").GetString()!);
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        ids.Reverse();
        var first = (await host.Client.GetAsync("/v1/messages/batches?limit=2")).Json;
        Assert.Equal(ids.Take(2), first.GetProperty("data").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal(ids[1], first.GetProperty("last_id").GetString());
        var rest = (await host.Client.GetAsync("/v1/messages/batches?limit=10&after_id=" + ids[1])).Json;
        Assert.Equal(ids.Skip(2), rest.GetProperty("data").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        Assert.False(rest.GetProperty("has_more").GetBoolean());

        // Listed batches carry their live status: the oldest has ended by now, the newest has not.
        var all = (await host.Client.GetAsync("/v1/messages/batches")).Json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(5, all.Count);
        Assert.Equal("in_progress", all[0].GetProperty("processing_status").GetString());
        host.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal("ended", (await host.Client.GetAsync("/v1/messages/batches")).Json.GetProperty("data")[4].GetProperty("processing_status").GetString());
    }

    [Fact]
    public async Task Results_answer_application_binary_to_a_client_that_asks_for_it()
    {
        await using var host = await BatchHost.StartAsync(TimeSpan.FromSeconds(1));
        var id = (await host.CreateOkAsync(BatchHost.Request("x", Requests.Message("Binary please.")))).GetProperty("id").GetString()!;
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var reply = await host.Client.GetAsync($"/v1/messages/batches/{id}/results", Keys.Api, ("Accept", "application/binary"));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("application/binary", reply.ContentType?.MediaType);
        Assert.Single(reply.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task At_most_max_batches_are_kept_the_oldest_ended_one_making_room()
    {
        await using var host = await BatchHost.StartAsync(TimeSpan.FromSeconds(10), configure: o => o with { MaxBatches = 2 });
        var one = (await host.CreateOkAsync(BatchHost.Request("q", Requests.Message("Keep one.")))).GetProperty("id").GetString()!;
        var two = (await host.CreateOkAsync(BatchHost.Request("q", Requests.Message("Keep two.")))).GetProperty("id").GetString()!;

        // Nothing has ended: no room.
        (await host.CreateAsync(BatchHost.Body(BatchHost.Request("q", Requests.Message("No room."))))).AssertError(HttpStatusCode.TooManyRequests, ErrorTypes.RateLimit);

        host.Time.Advance(TimeSpan.FromSeconds(10));
        var three = (await host.CreateOkAsync(BatchHost.Request("q", Requests.Message("Keep three.")))).GetProperty("id").GetString()!;
        Assert.Equal(2, host.Host.Server.Mock.Batches);
        (await host.Client.GetAsync("/v1/messages/batches/" + one)).AssertError(HttpStatusCode.NotFound, ErrorTypes.NotFound);
        Assert.Equal(two, (await host.GetAsync(two)).GetProperty("id").GetString());
        Assert.Equal(three, (await host.GetAsync(three)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Batch_ids_and_results_depend_only_on_the_seed_and_the_requests()
    {
        async Task<string> RunAsync()
        {
            await using var host = await BatchHost.StartAsync(TimeSpan.FromSeconds(2));
            var id = (await host.CreateOkAsync(BatchHost.Request("a", Requests.Message("Same every time.")), BatchHost.Request("b", Failing("Fails.")))).GetProperty("id").GetString()!;
            host.Time.Advance(TimeSpan.FromSeconds(2));
            var reply = await host.Client.GetAsync($"/v1/messages/batches/{id}/results");
            return id + "\n" + reply.Text;
        }

        Assert.Equal(await RunAsync(), await RunAsync());
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"\"service_tier\":\"batch\""), await RunAsync(), StringComparison.Ordinal);
    }
}
