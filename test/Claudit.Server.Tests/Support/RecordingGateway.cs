using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Mock;

namespace Claudit.Server.Tests.Support;

/// <summary>
/// The real gateway, with its OTLP receiver on, in front of the real mock (fast profile, Message Batches
/// compressed to a second and a half), on a data directory of its own; helpers to wait for the store.
/// </summary>
internal sealed class RecordingGateway : IAsyncDisposable
{
    private RecordingGateway(string dataDir, MockServer mock, GatewayServer gateway)
    {
        DataDir = dataDir;
        Mock = mock;
        Gateway = gateway;
        Http = new HttpClient { BaseAddress = gateway.BaseAddress };
    }

    public string DataDir { get; }

    public MockServer Mock { get; }

    public GatewayServer Gateway { get; private set; }

    public HttpClient Http { get; private set; }

    /// <summary>The receiver's <c>/v1/traces</c>.</summary>
    public Uri OtlpTraces => new(Gateway.OtlpAddress!, "v1/traces");

    public static async Task<RecordingGateway> StartAsync(int seed = 13, TimeSpan? batchTime = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("claudit-recording-").FullName;
        var mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = seed, BatchProcessingTime = batchTime ?? TimeSpan.FromSeconds(1.5) });
        return new RecordingGateway(dataDir, mock, await StartGatewayAsync(dataDir, mock));
    }

    /// <summary>Stops the gateway and starts a new one on the same data directory, as a restart would.</summary>
    public async Task RestartAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        Gateway = await StartGatewayAsync(DataDir, Mock);
        Http = new HttpClient { BaseAddress = Gateway.BaseAddress };
    }

    /// <summary>
    /// Waits until the store holds <paramref name="count"/> records and the journal (flushed each second) has
    /// them all, then reads them from the journal: the records exactly as the gateway wrote them.
    /// </summary>
    public async Task<List<CallRecord>> WaitForRecordsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var stored = await Gateway.Store.CountAsync();
            var journaled = ReadJournal();
            if (stored >= count && journaled.Count >= stored)
            {
                return journaled;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the store has {stored} records and the journal {journaled.Count}, not {count}");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Waits until the journal's records satisfy <paramref name="done"/> and the store holds as many (the store applies
    /// the journal in batches a second apart), then returns them as the gateway wrote them.
    /// </summary>
    public async Task<List<CallRecord>> WaitForRecordsAsync(Func<List<CallRecord>, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var journaled = ReadJournal();
            var stored = await Gateway.Store.CountAsync();
            if (done(journaled) && stored >= journaled.Count)
            {
                return journaled;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the journal has {journaled.Count} records and the store {stored}, and the condition does not hold");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until the journal holds at least <paramref name="count"/> records, stored or not.</summary>
    public async Task WaitForJournalAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (ReadJournal().Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the journal has {ReadJournal().Count} records, not {count}");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until /readyz says the store has applied the whole journal (nothing pending, no lag).</summary>
    public async Task WaitForStoreCaughtUpAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var ready = await GetJsonAsync("/readyz");
            if (ready["journal_pending"]!.GetValue<long>() == 0 && ready["store_lag"]!.GetValue<long>() == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the store is behind the journal: {ready.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    private List<CallRecord> ReadJournal()
    {
        var records = new List<CallRecord>();
        var journal = Path.Combine(DataDir, "journal");
        if (!Directory.Exists(journal))
        {
            return records;
        }

        foreach (var file in Directory.EnumerateFiles(journal, "*.jsonl"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.EndsWith('}') && Core.Serialization.CallRecordJsonReader.TryRead(System.Text.Encoding.UTF8.GetBytes(line), out var record, out _))
                {
                    records.Add(record!);
                }
            }
        }

        return records;
    }

    public async Task<JsonObject> GetJsonAsync(string path) => (await Http.GetFromJsonAsync<JsonObject>(path))!;

    private static Task<GatewayServer> StartGatewayAsync(string dataDir, MockServer mock) =>
        GatewayServer.StartAsync(new GatewayOptions { Port = 0, OtlpPort = 0, Upstream = mock.BaseAddress, DataDirectory = dataDir }, PriceTable.Default);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        await Mock.DisposeAsync();
        Directory.Delete(DataDir, recursive: true);
    }
}
