using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Claudit.Core.Records;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>
/// The gateway follows a Message Batch: it rewrites <c>results_url</c> to itself (with a Content-Length that
/// fits), remembers the batch and its creator's tags across a restart, lists results read around it as a gap
/// ("batch N: results not seen"), and closes the gap when the results are read through it.
/// </summary>
public sealed class BatchFollowingTests
{
    [Fact]
    public async Task ResultsReadAroundTheGateway_AreAGap_UntilReadThroughIt_EvenAfterARestart()
    {
        await using var gateway = await RecordingGateway.StartAsync(seed: 5, batchTime: TimeSpan.FromSeconds(0.5));
        var create = await SendAsync(gateway.Http, HttpMethod.Post, "/v1/messages/batches", """
            {"requests":[
              {"custom_id":"a","params":{"model":"claude-haiku-4-5","max_tokens":50,"messages":[{"role":"user","content":"one"}]}},
              {"custom_id":"b","params":{"model":"claude-haiku-4-5","max_tokens":50,"messages":[{"role":"user","content":"two"}],"metadata":{"user_id":"mock-batch-error"}}},
              {"custom_id":"c","params":{"model":"claude-haiku-4-5","max_tokens":50,"messages":[{"role":"user","content":"three"}]}}]}
            """);
        var id = create["id"]!.GetValue<string>();

        JsonObject batch;
        do
        {
            await Task.Delay(200);
            using var get = Request(HttpMethod.Get, $"/v1/messages/batches/{id}");
            using var response = await gateway.Http.SendAsync(get);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(Encoding.UTF8.GetByteCount(text), response.Content.Headers.ContentLength); // rewritten, and measured again
            batch = JsonNode.Parse(text)!.AsObject();
        }
        while (batch["processing_status"]!.GetValue<string>() != "ended");

        var gatewayOrigin = gateway.Gateway.BaseAddress.ToString().TrimEnd('/');
        Assert.Equal($"{gatewayOrigin}/v1/messages/batches/{id}/results", batch["results_url"]!.GetValue<string>());
        var list = await SendAsync(gateway.Http, HttpMethod.Get, "/v1/messages/batches?limit=5", null);
        Assert.StartsWith(gatewayOrigin, list["data"]![0]!["results_url"]!.GetValue<string>());

        // Read around the gateway: straight from the upstream.
        using (var direct = new HttpClient { BaseAddress = gateway.Mock.BaseAddress })
        using (var around = Request(HttpMethod.Get, $"/v1/messages/batches/{id}/results"))
        {
            Assert.Equal(3, (await (await direct.SendAsync(around)).Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }

        var batches = await gateway.GetJsonAsync("/api/batches");
        Assert.Equal([$"batch {id}: results not seen"], batches["gaps"]!.AsArray().Select(g => g!.GetValue<string>()));
        await gateway.WaitForRecordsAsync(1);
        await Task.Delay(500);
        var report = await gateway.GetJsonAsync("/api/report");
        Assert.Equal(id, report["batch_gaps"]![0]!["batch_id"]!.GetValue<string>());
        Assert.Equal(3, report["batch_gaps"]![0]!["request_count"]!.GetValue<long>());

        await gateway.RestartAsync();
        var remembered = (await gateway.GetJsonAsync("/api/batches"))["batches"]!.AsArray().Single(b => b!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("nightly", remembered["feature"]!.GetValue<string>());
        Assert.True(remembered["results_not_seen"]!.GetValue<bool>());

        using (var through = Request(HttpMethod.Get, $"/v1/messages/batches/{id}/results"))
        using (var response = await gateway.Http.SendAsync(through))
        {
            Assert.Equal(3, (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }

        var records = await gateway.WaitForRecordsAsync(journal => journal.Count(r => r.EndpointKind == EndpointKinds.BatchResult) >= 3);
        var results = records.Where(r => r.EndpointKind == EndpointKinds.BatchResult).OrderBy(r => r.Batch!.CustomId).ToList();
        Assert.Equal(["a", "b", "c"], results.Select(r => r.Batch!.CustomId));
        Assert.Equal(["succeeded", "errored", "succeeded"], results.Select(r => r.Batch!.Result));
        Assert.All(results, r => Assert.Equal("nightly", r.Tags.Feature));
        Assert.Equal(Core.Anthropic.ErrorTypes.Api, results[1].Error!.Type);
        Assert.Null(results[1].Cost); // an errored request is not billed
        Assert.True(results[0].LatencyMs >= 400, "a result's latency is its batch's turnaround");
        Assert.Empty((await gateway.GetJsonAsync("/api/batches"))["gaps"]!.AsArray());
        Assert.Empty((await gateway.GetJsonAsync("/api/report"))["batch_gaps"]!.AsArray());
        var final = await gateway.GetJsonAsync("/api/report");
        Assert.Equal((3L, 1L), (final["calls"]!.GetValue<long>(), final["errors"]!.GetValue<long>())); // a and c succeeded, b errored
        Assert.Equal(1.0, final["coverage"]!["coverage"]!.GetValue<double>());
    }

    private static async Task<JsonObject> SendAsync(HttpClient http, HttpMethod method, string path, string? body)
    {
        using var request = Request(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.Add("Claudit-Feature", "nightly");
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-api-key", "sk-ant-" + "batch-following");
        request.Headers.Add("anthropic-version", "2023-06-01");
        return request;
    }
}
