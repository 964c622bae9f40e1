using System.Net;
using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Journal;
using Claudit.Mock;

namespace Claudit.Server.Tests;

/// <summary>Bodies past the capture cap are still forwarded; SDK retries are linked to their first attempt.</summary>
public sealed class CaptureLimitsAndRetriesTests : IAsyncLifetime
{
    private const long Cap = 16 * 1024;
    private readonly string _dataDir = Directory.CreateTempSubdirectory("claudit-gateway-limits-").FullName;
    private MockServer _mock = null!;
    private GatewayServer _gateway = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 3, RateLimits = new RateLimitSettings { Enforced = false } });
        _gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = _mock.BaseAddress, DataDirectory = _dataDir, MaxCaptureBytes = Cap }, PriceTable.Default);
        _http = new HttpClient { BaseAddress = _gateway.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _mock.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    private static string Body(string prompt, string model = "claude-haiku-4-5") =>
        $$"""{"model":"{{model}}","max_tokens":50,"messages":[{"role":"user","content":"{{prompt}}"}]}""";

    private static HttpRequestMessage Post(HttpContent content, string key = "sk-ant-test-a", int? retry = null, string? fault = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = content };
        request.Headers.Add("x-api-key", key);
        request.Headers.Add("anthropic-version", "2023-06-01");
        if (retry is { } n)
        {
            request.Headers.Add("x-stainless-retry-count", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (fault is not null)
        {
            request.Headers.Add(MockFaults.Header, fault);
        }

        return request;
    }

    private async Task<List<CallRecord>> StopAndReadAsync()
    {
        await _gateway.DisposeAsync();
        var records = new List<CallRecord>();
        foreach (var file in JsonlFiles.Expand([Path.Combine(_dataDir, "journal")]))
        {
            await foreach (var r in JsonlRecordReader.ReadFileAsync(file, new ReadStats()))
            {
                records.Add(r);
            }
        }

        return records.OrderBy(r => r.StartTime).ThenBy(r => r.Id).ToList();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_cap_is_forwarded_whole_and_recorded_from_the_response(bool chunked)
    {
        var big = Body(new string('x', (int)Cap * 2));
        HttpContent content = chunked
            ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)))
            : new StringContent(big, Encoding.UTF8, "application/json");
        content.Headers.ContentType = new("application/json");
        if (chunked)
        {
            content.Headers.ContentLength = null;
        }

        using var request = Post(content);
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await _http.SendAsync(request);
        var answer = MessageResponseParser.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var record = Assert.Single(await StopAndReadAsync());

        Assert.Null(record.ModelRequested); // the body was not read for the record
        Assert.Null(record.PromptHash);
        Assert.Equal("claude-haiku-4-5", record.ModelUsed);
        Assert.Equal(answer.Usage!.InputTokens, record.Usage!.InputTokens);
        Assert.True(record.Usage.InputTokens > Cap / 8, "the upstream saw the whole body, not a cut one");
        Assert.True(record.Cost!.Priced);
    }

    [Fact]
    public async Task A_body_under_the_cap_is_read_for_the_record_while_it_is_forwarded()
    {
        using var request = Post(new StringContent(Body("Small and chunked"), Encoding.UTF8, "application/json"));
        request.Headers.TransferEncodingChunked = true;
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var record = Assert.Single(await StopAndReadAsync());

        Assert.Equal("claude-haiku-4-5", record.ModelRequested);
        Assert.Equal(50, record.MaxTokens);
        Assert.StartsWith("sha256:", record.PromptHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sdk_retries_are_linked_to_the_failed_first_attempt()
    {
        // Two logical requests from two callers with the same prompt: each retry joins its own first attempt.
        var body = Body("Retry me");
        foreach (var (key, fault, attempt) in new[] { ("key-a", "overloaded", 0), ("key-b", "rate_limit", 0), ("key-a", null, 1), ("key-b", "rate_limit", 1), ("key-b", null, 2) })
        {
            using var request = Post(new StringContent(body, Encoding.UTF8, "application/json"), key, attempt, fault);
            using var response = await _http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
        }

        using (var unrelated = Post(new StringContent(Body("Something else"), Encoding.UTF8, "application/json"), "key-a", retry: 1))
        {
            (await _http.SendAsync(unrelated)).Dispose();
        }

        var records = await StopAndReadAsync();

        Assert.Equal(6, records.Count);
        var (firstA, firstB) = (records[0], records[1]);
        Assert.Null(firstA.Tags.ParentId);
        Assert.Null(firstB.Tags.ParentId);
        Assert.Equal(ErrorTypes.Overloaded, firstA.Error!.Type);
        Assert.Equal(firstA.Id.ToString(), records[2].Tags.ParentId);
        Assert.Equal(1, records[2].Tags.Attempt);
        Assert.Equal(CallStatus.Ok, records[2].Status);
        Assert.Equal(firstB.Id.ToString(), records[3].Tags.ParentId);
        Assert.Equal(firstB.Id.ToString(), records[4].Tags.ParentId);
        Assert.Equal(2, records[4].Tags.Attempt);
        Assert.Null(records[5].Tags.ParentId); // a retry whose first attempt was never seen
        foreach (var file in Directory.EnumerateFiles(_dataDir, "*", SearchOption.AllDirectories))
        {
            var text = await File.ReadAllTextAsync(file);
            Assert.DoesNotContain("key-a", text, StringComparison.Ordinal);
            Assert.DoesNotContain("key-b", text, StringComparison.Ordinal);
        }
    }
}
