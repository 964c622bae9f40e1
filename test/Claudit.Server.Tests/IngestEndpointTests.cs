using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Serialization;
using Claudit.Journal;

namespace Claudit.Server.Tests;

/// <summary><c>POST /api/ingest</c>: records from the in-process library join the gateway's journal.</summary>
public sealed class IngestEndpointTests
{
    private static CallRecord Record(int i) => new()
    {
        Id = Guid.CreateVersion7(new DateTimeOffset(2026, 11, 20, 9, 0, i, TimeSpan.Zero)),
        StartTime = new DateTimeOffset(2026, 11, 20, 9, 0, i, TimeSpan.Zero),
        Source = CallSource.Library,
        ModelRequested = "claude-sonnet-4-6",
        ModelUsed = "claude-sonnet-4-6",
        StopReason = "end_turn",
        Usage = new TokenUsage { InputTokens = 100 + i, OutputTokens = 10 },
        LatencyMs = 250,
        Tags = new CallTags { User = $"u{i}", Feature = "ingest" },
    };

    private static string Line(CallRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            CallRecordJsonWriter.Write(writer, record);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public async Task Records_posted_as_json_lines_reach_the_journal_and_bad_lines_are_named()
    {
        var dataDir = Directory.CreateTempSubdirectory("claudit-ingest-").FullName;
        try
        {
            var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = new Uri("http://127.0.0.1:9"), DataDirectory = dataDir }, PriceTable.Default);
            var sent = Enumerable.Range(0, 3).Select(Record).ToList();
            var body = string.Join('\n', sent.Select(Line).Append("{\"not\":\"a record\"}")) + "\n";
            using (var http = new HttpClient { BaseAddress = gateway.BaseAddress })
            using (var response = await http.PostAsync("/api/ingest", new StringContent(body, Encoding.UTF8, "application/x-ndjson")))
            {
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal(3, answer.GetProperty("accepted").GetInt32());
                Assert.Equal(1, answer.GetProperty("rejected").GetInt64());
                Assert.Contains("ingest:4", answer.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
            }

            await gateway.DisposeAsync();
            var stored = new List<CallRecord>();
            await foreach (var r in JsonlRecordReader.ReadFileAsync(JsonlFiles.Expand([Path.Combine(dataDir, "journal")]).Single(), new ReadStats()))
            {
                stored.Add(r);
            }

            Assert.Equal(sent.Select(r => r.Id), stored.Select(r => r.Id));
            Assert.All(stored, r => Assert.Equal(CallSource.Library, r.Source));
            Assert.Equal(new long[] { 100, 101, 102 }, stored.Select(r => r.Usage!.InputTokens));
            Assert.Equal("u2", stored[2].Tags.User);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
