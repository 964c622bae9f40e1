using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Store.Alerting;
using Claudit.Store.ClickHouse;
using Claudit.Store.Keys;

namespace Claudit.Store.Tests;

/// <summary>
/// The ClickHouse store's writing contract and state, against a real server: appends idempotent by id (a replayed
/// batch adds nothing), journal positions per writer (gateways' journal files share names), alerts, virtual keys
/// and batches saved and read back, the URL parsed and its password kept out of messages, retention by day.
/// </summary>
[Collection(ClickHouseCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public class ClickHouseStoreTests(ClickHouseFixture clickHouse)
{
    private static string Fresh() => "t_" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task A_replayed_batch_adds_nothing_and_positions_are_kept_per_writer()
    {
        var database = Fresh();
        await using var a = await clickHouse.OpenAsync(database, writer: "gateway-a");
        await using var b = await clickHouse.OpenAsync(database, writer: "gateway-b");
        var records = await TestRecords.MixAsync(500, seed: 3);

        Assert.Equal(300, await a.AppendAsync(records[..300], new JournalPosition("calls-2026-11-01.jsonl", 1000)));
        Assert.Equal(0, await a.AppendAsync(records[..300], new JournalPosition("calls-2026-11-01.jsonl", 1000)));
        Assert.Equal(records.Count - 300, await a.AppendAsync([.. records[250..], records[0]], new JournalPosition("calls-2026-11-01.jsonl", 2500)));
        Assert.Equal(0, await b.AppendAsync(records, new JournalPosition("calls-2026-11-01.jsonl", 77)));

        Assert.Equal(records.Count, await a.CountAsync());
        Assert.Equal(2500, (await a.GetJournalPositionsAsync())["calls-2026-11-01.jsonl"]);
        Assert.Equal(77, (await b.GetJournalPositionsAsync())["calls-2026-11-01.jsonl"]);
        Assert.Empty(await (await clickHouse.OpenAsync(database, writer: "gateway-c")).GetJournalPositionsAsync());
    }

    [Fact]
    public async Task Alerts_keys_and_batches_are_saved_replaced_and_read_back()
    {
        await using var store = await clickHouse.OpenAsync(Fresh());
        var t0 = TestRecords.Start;
        var pending = Alert(1, AlertStatuses.Pending, t0);
        var firing = Alert(2, AlertStatuses.Firing, t0.AddMinutes(1));
        await store.SaveAlertsAsync([pending, firing], []);
        await store.SaveAlertsAsync([firing with { Status = AlertStatuses.Resolved, EndedAt = t0.AddMinutes(9) }], [pending.Id]);

        Assert.Empty(await store.QueryActiveAlertsAsync());
        var history = Assert.Single(await store.QueryAlertHistoryAsync(10));
        Assert.Equal(firing with { Status = AlertStatuses.Resolved, EndedAt = t0.AddMinutes(9) }, history with { Group = firing.Group });
        Assert.Equal(firing.Group, history.Group);
        Assert.Null(await store.GetAlertAsync(pending.Id));

        var key = new StoredVirtualKey { Id = "vk_0000000000000001", Name = "bot", Salt = [1, 2, 3], Hash = [4, 5, 6], Models = ["claude-haiku-4-5"], BudgetUsd = 5.25m, CreatedAt = t0 };
        await store.AddKeyAsync(key);
        await Assert.ThrowsAsync<StoreException>(() => store.AddKeyAsync(key with { Id = "vk_0000000000000002" }));
        var revoked = await store.RevokeKeyAsync("bot", t0.AddHours(1));
        Assert.Equal(t0.AddHours(1), revoked!.RevokedAt);
        await store.AddKeyAsync(key with { Id = "vk_0000000000000002" });
        var keys = await store.ListKeysAsync();
        Assert.Equal(["vk_0000000000000001", "vk_0000000000000002"], keys.Select(k => k.Id));
        Assert.Equal(key.Salt, keys[0].Salt);
        Assert.Equal(5.25m, keys[1].BudgetUsd);

        var batch = new BatchEntry
        {
            Batch = new MessageBatchSnapshot { Id = "msgbatch_1", ProcessingStatus = "in_progress", RequestCount = 3 },
            CreatedThroughGateway = true,
            Tags = new CallTags { User = "u1", Properties = new Dictionary<string, string> { ["team"] = "a" } },
            FirstSeen = t0,
            LastSeen = t0,
        };
        await store.SaveBatchAsync(batch);
        await store.SaveBatchAsync(batch with { Batch = batch.Batch with { ProcessingStatus = "ended" }, LastSeen = t0.AddMinutes(5) });
        var back = await store.GetBatchAsync("msgbatch_1");
        Assert.Equal("ended", back!.Batch.ProcessingStatus);
        Assert.Equal("a", back.Tags.Properties!["team"]);
        Assert.Single(await store.ListBatchesAsync(10));
    }

    [Fact]
    public async Task A_call_is_found_by_id_whether_or_not_its_id_tells_its_time()
    {
        await using var store = await clickHouse.OpenAsync(Fresh());
        var records = await TestRecords.MixAsync(3, seed: 7);
        // A UUIDv7 of a time far from the start (found past the days its id names), a random UUIDv4, and one as made.
        List<CallRecord> odd = [records[0] with { Id = Guid.CreateVersion7(records[0].StartTime.AddDays(40)) }, records[1] with { Id = Guid.NewGuid() }, records[2]];
        await store.AppendAsync(odd);

        foreach (var record in odd)
        {
            Assert.Equal(record.StartTime, (await store.GetCallAsync(record.Id))!.StartTime);
        }

        Assert.Null(await store.GetCallAsync(Guid.CreateVersion7(records[0].StartTime)));
    }

    [Fact]
    public async Task Retention_drops_whole_days()
    {
        await using var store = await clickHouse.OpenAsync(Fresh());
        var records = (await TestRecords.MixAsync(50, seed: 5)).Select((r, i) => r with { StartTime = TestRecords.Start.AddDays(i % 3) }).ToList();
        await store.AppendAsync(records);

        Assert.Equal(2, await store.DropDaysBeforeAsync(DateOnly.FromDateTime(TestRecords.Start.AddDays(2).UtcDateTime)));

        Assert.Equal(records.Count(r => r.StartTime >= TestRecords.Start.AddDays(2)), await store.CountAsync());
    }

    [Fact]
    public void The_url_names_server_database_and_credentials_and_messages_never_show_the_password()
    {
        var location = ClickHouseLocation.Parse("clickhouse://ingest:s%40cret@ch.internal:8124/claudit");
        Assert.Equal(new Uri("http://ch.internal:8124/"), location.Http);
        Assert.Equal(("claudit", "ingest", "s@cret"), (location.Database, location.User, location.Password));
        Assert.DoesNotContain("cret", location.ToString(), StringComparison.Ordinal);

        var bad = Assert.Throws<StoreException>(() => ClickHouseLocation.Parse("clickhouse://u:hunter2@host:8123/"));
        Assert.DoesNotContain("hunter2", bad.Message, StringComparison.Ordinal);
        Assert.Contains("names no database", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_one_line_naming_it_without_the_password()
    {
        var location = ClickHouseLocation.Parse($"clickhouse://claudit:hunter2@127.0.0.1:{clickHouse.Server.TcpPort + 1}/nowhere");
        var ex = await Assert.ThrowsAsync<StoreException>(() => ClickHouseCallStore.OpenAsync(location, "w", TimeSpan.FromSeconds(5)));
        Assert.Contains("cannot be reached", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    private static StoredAlert Alert(int n, string status, DateTimeOffset started) => new()
    {
        Id = Guid.CreateVersion7(started),
        Rule = $"rule-{n}",
        Metric = "error_rate",
        Group = [new("model", "claude-haiku-4-5"), new("feature", null)],
        Status = status,
        Value = 0.25,
        Threshold = 0.05,
        Comparison = "above",
        Window = TimeSpan.FromMinutes(5),
        StartedAt = started,
        FiredAt = status == AlertStatuses.Pending ? null : started.AddMinutes(1),
    };
}
