using System.Net;
using System.Text.Json;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Journal;

namespace Claudit.Server.Tests;

/// <summary>
/// A gateway started on a data directory whose store is behind its journal (a kill -9, a store that
/// failed) catches the store up before <c>/readyz</c> says ready: from then on store == journal.
/// </summary>
public sealed class GatewayCatchUpTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("claudit-catch-up-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task Readyz_says_ready_only_once_the_store_holds_the_whole_journal()
    {
        // A journal the store never saw, as a crashed gateway leaves it: 5,000 records and a line cut mid-way.
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        using (var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = Path.Combine(_dataDir, "journal") }))
        {
            for (var i = 0; i < 5_000; i++)
            {
                writer.Append(new CallRecord { Id = Guid.CreateVersion7(start), StartTime = start.AddMilliseconds(i), ModelRequested = "claude-haiku-4-5", LatencyMs = 10 });
            }
        }

        var journal = Directory.GetFiles(Path.Combine(_dataDir, "journal"), "*.jsonl").Single();
        File.AppendAllText(journal, "{\"id\":\"0190b5d4-0000-7000-8000-0000000");

        await using var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = new Uri("http://127.0.0.1:9"), DataDirectory = _dataDir }, PriceTable.Default);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        JsonElement ready = default;
        for (var i = 0; i < 600; i++)
        {
            using var response = await http.GetAsync("/readyz");
            ready = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            Assert.Equal("catching_up", ready.GetProperty("status").GetString());
            await Task.Delay(50);
        }

        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal(5_000, await gateway.Store.CountAsync());
        Assert.True(ready.GetProperty("store_caught_up").GetBoolean());
        Assert.Equal(0, ready.GetProperty("store_lag").GetInt64());
        Assert.Equal(5_000, ready.GetProperty("stored").GetInt64());
    }
}
