namespace Claudit.Store.Tests;

/// <summary>The ClickHouse store's <c>call_content</c> (deploy/clickhouse/003): read back by call id, kept once, dropped with its day by retention.</summary>
[Collection(ClickHouseCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public class ClickHouseContentTests(ClickHouseFixture clickHouse)
{
    [Fact]
    public async Task Content_is_read_back_kept_once_and_dropped_with_its_day()
    {
        await using var store = await clickHouse.OpenAsync("t_" + Guid.NewGuid().ToString("N")[..10]);
        var old = ContentSamples.Of(Guid.CreateVersion7(TestRecords.Start), TestRecords.Start.AddTicks(1234567));
        var recent = ContentSamples.Of(Guid.CreateVersion7(TestRecords.Start.AddDays(3)), TestRecords.Start.AddDays(3), output: "Tabs\tand \\ backslashes\nkept.");

        await ContentSamples.AssertKeptOnceAsync(store, old, recent);

        await store.DropDaysBeforeAsync(DateOnly.FromDateTime(TestRecords.Start.AddDays(2).UtcDateTime));
        Assert.Equal([recent.CallId], (await store.GetContentAsync([old.CallId, recent.CallId])).Keys);
    }
}
