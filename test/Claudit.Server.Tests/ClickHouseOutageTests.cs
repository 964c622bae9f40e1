using System.Diagnostics;
using System.Net;
using Claudit.Server.Tests.Support;
using Claudit.Store.ClickHouse;
using Xunit.Abstractions;

namespace Claudit.Server.Tests;

/// <summary>
/// A gateway recording into a real ClickHouse (Debian's clickhouse-server, started by the test): while ClickHouse
/// is down, calls keep being answered and journaled; once it is back, the store applier catches up from the
/// positions it stored, and the store holds every answered call exactly once.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class ClickHouseOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Calls_never_fail_while_ClickHouse_is_down_and_the_store_catches_up_when_it_returns()
    {
        await using var clickHouse = await ClickHouseServer.StartAsync();
        var url = clickHouse.Url("outage");
        await using var gateway = await TestGateway.StartAsync(o => o with { Store = url });
        Assert.Contains(gateway.Logs, l => l.Text.Contains("per instance", StringComparison.Ordinal));

        var answered = await SendAsync(gateway, 100, "before");
        await WaitForAsync(gateway, answered, TimeSpan.FromSeconds(30));

        await clickHouse.StopAsync();
        var during = await SendAsync(gateway, 200, "during");
        answered += during;
        // Answered calls reach the journal within its group commit; none of them can reach the store while ClickHouse is down.
        var journaled = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (gateway.Server.Applier.MeasureLag().Records < during && DateTime.UtcNow < journaled)
        {
            await Task.Delay(50);
        }

        Assert.True(gateway.Server.Applier.MeasureLag().Records == during, $"the store cannot have taken calls while ClickHouse was down (lag {gateway.Server.Applier.MeasureLag().Records} of {during})");

        await clickHouse.StartAgainAsync();
        var back = Stopwatch.StartNew();
        await WaitForAsync(gateway, answered, TimeSpan.FromSeconds(90));
        output.WriteLine($"caught up {answered} calls {back.Elapsed.TotalSeconds:F1} s after ClickHouse returned");

        await using var reader = await ClickHouseCallStore.OpenAsync(ClickHouseLocation.Parse(url), "reader");
        var report = await reader.QueryReportAsync(new Core.Reporting.ReportOptions(), Core.Pricing.CostCalculator.Default);
        Assert.Equal(answered, report.Calls);
    }

    private static async Task<long> SendAsync(TestGateway gateway, int calls, string prompt)
    {
        var ok = 0;
        await Parallel.ForAsync(0, calls, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var response = await gateway.Http.SendAsync(TestGateway.Message($"{prompt} {i}"), ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Interlocked.Increment(ref ok);
        });
        return ok;
    }

    private static async Task WaitForAsync(TestGateway gateway, long expected, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        long stored = -1;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                stored = await gateway.Server.Store.CountAsync();
                if (stored == expected)
                {
                    return;
                }
            }
            catch (Store.StoreException)
            {
                // ClickHouse still starting.
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the store holds {stored} calls, {expected} were answered");
    }
}
