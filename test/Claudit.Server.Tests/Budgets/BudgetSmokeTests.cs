using Xunit.Abstractions;
using System.Net;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests.Budgets;

public sealed class BudgetSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Smoke()
    {
        await using var host = await PolicyGateway.StartAsync("""{"budgets":[{"name":"user-daily","scope":"user","limit_usd":0.005,"window":"1d","action":"block"}]}""");
        for (var i = 0; i < 10; i++)
        {
            var (response, text) = await host.SendAsync(PolicyGateway.Body("Hello number " + i), user: "u-42");
            output.WriteLine($"{(int)response.StatusCode} {string.Join(";", response.Headers.Select(h => h.Key + "=" + string.Join(",", h.Value)))} {text[..Math.Min(300, text.Length)]}");
        }

        var budgets = await host.Http.GetStringAsync("/api/budgets");
        output.WriteLine(budgets);
        var records = await host.StopAndReadRecordsAsync();
        foreach (var r in records)
        {
            output.WriteLine($"{r.HttpStatus} {r.Error?.Type} {r.Error?.Origin} {r.Cost?.TotalUsd} {r.Tags.User}");
        }
        Assert.Contains(records, r => r.HttpStatus == (int)HttpStatusCode.TooManyRequests);
    }
}
