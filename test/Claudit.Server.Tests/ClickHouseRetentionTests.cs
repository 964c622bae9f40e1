using Claudit.Core.Records;
using Claudit.Server.Tests.Support;
using Claudit.Store.ClickHouse;

namespace Claudit.Server.Tests;

/// <summary><c>--retention-days</c> on a ClickHouse store: a gateway drops the day partitions older than its retention (a real clickhouse-server).</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class ClickHouseRetentionTests
{
    [Fact]
    public async Task A_gateway_drops_the_days_older_than_its_retention()
    {
        await using var clickHouse = await ClickHouseServer.StartAsync();
        var url = clickHouse.Url("retention");
        var today = DateTimeOffset.UtcNow;
        await using (var store = await ClickHouseCallStore.OpenAsync(ClickHouseLocation.Parse(url), "seed"))
        {
            await store.AppendAsync([.. Enumerable.Range(0, 10).Select(d => new CallRecord
            {
                Id = Guid.CreateVersion7(today.AddDays(-d)),
                StartTime = today.AddDays(-d),
                ModelRequested = "claude-haiku-4-5",
                LatencyMs = 5,
            })]);
        }

        await using var gateway = await TestGateway.StartAsync(o => o with { Store = url, RetentionDays = 3 });

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await gateway.Server.Store.CountAsync() != 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        // Today and the three whole days before it stay.
        Assert.Equal(4, await gateway.Server.Store.CountAsync());
    }
}
