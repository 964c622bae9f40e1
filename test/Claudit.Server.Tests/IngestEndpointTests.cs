using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Journal;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>
/// <c>POST /api/ingest</c>: records from the in-process library join the gateway's journal and store;
/// every line is checked by Core's validator, a bad one is named (line and field) and kept as a dead
/// letter, and nothing a sender posts can stop the gateway recording.
/// </summary>
public sealed class IngestEndpointTests : IAsyncLifetime
{
    private TestGateway _test = null!;

    private GatewayServer Gateway => _test.Server;

    private HttpClient Http => _test.Http;

    private string DataDir => _test.DataDir;

    public async Task InitializeAsync() => _test = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _test.DisposeAsync();

    private static CallRecord Record(int i) => new()
    {
        Id = Guid.Parse($"01a1f82f-0000-7000-8000-{i:x12}"),
        StartTime = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero).AddSeconds(i),
        Source = CallSource.Library,
        ModelRequested = "claude-sonnet-4-6",
        ModelUsed = "claude-sonnet-4-6",
        StopReason = "end_turn",
        Usage = new TokenUsage { InputTokens = 100 + i, OutputTokens = 10 },
        Cost = new CallCost { Priced = true, TotalUsd = 0.001m, InputUsd = 0.001m, PriceTableVersion = "2026-08-07" },
        LatencyMs = 250,
        Tags = new CallTags { User = $"u{i}", Feature = "ingest" },
    };

    private static string Line(CallRecord record) => RecordLines.Of(record);

    private async Task<(HttpStatusCode Status, JsonElement Answer)> PostAsync(string body, string contentType = "application/x-ndjson")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await Http.PostAsync("/api/ingest", content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private async Task<List<CallRecord>> JournalAsync()
    {
        await Gateway.DisposeAsync();
        var records = new List<CallRecord>();
        foreach (var file in JsonlFiles.Expand([Path.Combine(DataDir, "journal")]))
        {
            await foreach (var r in JsonlRecordReader.ReadFileAsync(file, new ReadStats()))
            {
                records.Add(r);
            }
        }

        return records;
    }

    private string[] DeadLetters() =>
        Directory.Exists(Path.Combine(DataDir, "dead-letter"))
            ? [.. Directory.GetFiles(Path.Combine(DataDir, "dead-letter"), "ingest-*.jsonl").SelectMany(File.ReadAllLines)]
            : [];

    private async Task WaitForStoreAsync(long count)
    {
        for (var i = 0; i < 500 && await Gateway.Store.CountAsync() < count; i++)
        {
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Records_posted_as_json_lines_reach_the_journal_and_the_store()
    {
        var sent = Enumerable.Range(0, 3).Select(Record).ToList();

        var (status, answer) = await PostAsync(string.Join('\n', sent.Select(Line)) + "\n");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(3, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(0, answer.GetProperty("rejected").GetInt64());
        await WaitForStoreAsync(3);
        Assert.Equal(3, await Gateway.Store.CountAsync());
        var stored = await JournalAsync();
        Assert.Equal(sent.Select(r => r.Id), stored.Select(r => r.Id));
        Assert.All(stored, r => Assert.Equal(CallSource.Library, r.Source));
        Assert.Equal(new long[] { 100, 101, 102 }, stored.Select(r => r.Usage!.InputTokens));
        Assert.Equal("u2", stored[2].Tags.User);
    }

    [Fact]
    public async Task A_bad_line_is_a_400_naming_line_and_field_and_a_dead_letter_while_the_good_records_are_taken()
    {
        // Behaviour changed on purpose (issue 11): a batch with a bad line was a 202 that only counted it.
        var bad = Record(1) with { Usage = new TokenUsage { InputTokens = -6_000_000, OutputTokens = 10 } };
        var body = string.Join('\n', Line(Record(0)), Line(bad), Line(Record(2)), "{\"not\":\"a record\"}") + "\n";

        var (status, answer) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = answer.GetProperty("error").GetString()!;
        Assert.StartsWith("line 2: usage.input_tokens: must be between 0 and 10000000000, not -6000000", error, StringComparison.Ordinal);
        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(2, answer.GetProperty("rejected").GetInt64());
        Assert.StartsWith("line 4: not a record: no start_time", answer.GetProperty("problems")[1].GetString(), StringComparison.Ordinal);

        var letters = DeadLetters().Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(2, letters.Length);
        Assert.Equal("ingest line 2", letters[0].GetProperty("where").GetString());
        Assert.StartsWith("usage.input_tokens:", letters[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(bad.Id.ToString(), letters[0].GetProperty("line").GetString(), StringComparison.Ordinal);
        Assert.Equal("{\"not\":\"a record\"}", letters[1].GetProperty("line").GetString());
        Assert.Equal([Record(0).Id, Record(2).Id], (await JournalAsync()).Select(r => r.Id));
    }

    public static TheoryData<string, Func<CallRecord, CallRecord>> OutOfBounds => new()
    {
        { "usage.input_tokens", r => r with { Usage = new TokenUsage { InputTokens = long.MaxValue } } },
        { "usage.output_tokens", r => r with { Usage = new TokenUsage { OutputTokens = -1 } } },
        { "cost.total_usd", r => r with { Cost = new CallCost { Priced = true, TotalUsd = 1e15m } } },
        { "latency_ms", r => r with { LatencyMs = -5 } },
        { "start_time", r => r with { StartTime = new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero) } },
        { "start_time", r => r with { StartTime = new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero) } },
        { "http_status", r => r with { HttpStatus = 99_999 } },
        { "tags.user", r => r with { Tags = new CallTags { User = new string('u', 5_000) } } },
        { "tags.properties", r => r with { Tags = new CallTags { Properties = Enumerable.Range(0, 100).ToDictionary(i => $"p{i}", i => "v") } } },
    };

    [Theory]
    [MemberData(nameof(OutOfBounds))]
    public async Task A_value_out_of_bounds_is_refused_by_name(string field, Func<CallRecord, CallRecord> spoil)
    {
        var (status, answer) = await PostAsync(Line(spoil(Record(1))) + "\n");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith($"line 1: {field}: ", answer.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, answer.GetProperty("accepted").GetInt32());
        Assert.Empty(await JournalAsync());
    }

    [Fact]
    public async Task An_id_twice_in_one_batch_is_refused_the_second_time()
    {
        var (status, answer) = await PostAsync(Line(Record(1)) + "\n" + Line(Record(1) with { LatencyMs = 9 }) + "\n");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("line 2: id: ", answer.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_a_page_on_another_origin_could_post_is_refused(string contentType)
    {
        var (status, answer) = await PostAsync(Line(Record(1)) + "\n", contentType);

        // The gateway's browser guard answers before the endpoint, in the API's error shape.
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("application/x-ndjson", answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(await JournalAsync());
    }

    [Fact]
    public async Task A_200_MB_line_sent_chunked_is_refused_and_recording_goes_on()
    {
        using (var huge = new HttpRequestMessage(HttpMethod.Post, "/api/ingest") { Content = new HugeLineContent(200 << 20) })
        {
            huge.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            huge.Headers.TransferEncodingChunked = true;
            try
            {
                // Past the batch limit (32 MiB) the body is not read further: a 413, and the connection closes on the rest.
                using var response = await Http.SendAsync(huge);
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            }
            catch (HttpRequestException ex) when (ex.InnerException is IOException)
            {
                // The gateway answered and closed the connection while the sender was still writing: refused all the same.
            }
        }

        // The gateway still records: a record sent after it reaches the journal and the store, and it says it is ready.
        var (status, _) = await PostAsync(Line(Record(5)) + "\n");
        Assert.Equal(HttpStatusCode.Accepted, status);
        await WaitForStoreAsync(1);
        using (var ready = await Http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        Assert.Equal([Record(5).Id], (await JournalAsync()).Select(r => r.Id));
    }

    [Fact]
    public async Task A_line_longer_than_the_cap_within_the_batch_limit_is_refused_by_line_and_dead_lettered()
    {
        var tooLong = Line(Record(2) with { Error = new CallError { Type = "api_error", Message = new string('m', 2 << 20) }, Status = CallStatus.Error });

        var (status, answer) = await PostAsync(Line(Record(1)) + "\n" + tooLong + "\n" + Line(Record(3)) + "\n");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith($"line 2: not a record: the line is {Encoding.UTF8.GetByteCount(tooLong)} bytes long; at most {RecordValidator.MaxLineBytes}", answer.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        var letter = JsonDocument.Parse(Assert.Single(DeadLetters())).RootElement;
        Assert.Equal(Encoding.UTF8.GetByteCount(tooLong), letter.GetProperty("line_bytes").GetInt64());
        Assert.True(letter.GetProperty("line").GetString()!.Length <= 16 * 1024, "only the head of an oversized line is kept");
    }

    [Fact]
    public async Task A_cost_of_1e15_keeps_no_good_record_out_of_the_store()
    {
        // Issue 11, item 3: one record with cost.total_usd 1e15 kept 423 good records out of the store.
        var good = Enumerable.Range(0, 423).Select(Record).ToList();
        var body = string.Join('\n', good.Take(200).Select(Line).Append(Line(Record(999) with { Cost = new CallCost { Priced = true, TotalUsd = 1e15m } })).Concat(good.Skip(200).Select(Line))) + "\n";

        var (status, answer) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("line 201: cost.total_usd: ", answer.GetProperty("error").GetString(), StringComparison.Ordinal);
        await WaitForStoreAsync(423);
        Assert.Equal(423, await Gateway.Store.CountAsync());
    }

    /// <summary>One record line whose model name is <c>bytes</c> long, streamed without ever being held in memory.</summary>
    private sealed class HugeLineContent(long bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes($"{{\"id\":\"{Guid.CreateVersion7()}\",\"start_time\":\"2026-11-20T09:00:00Z\",\"model_requested\":\""));
            var chunk = Encoding.ASCII.GetBytes(new string('a', 1 << 20));
            try
            {
                for (long sent = 0; sent < bytes; sent += chunk.Length)
                {
                    await stream.WriteAsync(chunk);
                }

                await stream.WriteAsync("\"}\n"u8.ToArray());
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                // The server may answer and stop reading before the end: that is its right.
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
