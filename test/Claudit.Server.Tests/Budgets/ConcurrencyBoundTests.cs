using System.Globalization;
using System.Net;
using Claudit.Mock;
using Claudit.Server.Tests.Support;
using Xunit.Abstractions;

namespace Claudit.Server.Tests.Budgets;

/// <summary>
/// The guarantee (docs/budgets.md#the-guarantee): calls reserve their worst case before they go out, so however
/// many arrive at once, the recorded spend of a <c>block</c> budget ends at most one call's worst case above its
/// limit, and never above it with <c>"reserve": "strict"</c>. Two shapes of load: a burst of fifty calls at once
/// (all reserve before any settles; without reservations all fifty would pass), and fifty callers in a loop, each
/// calling again as soon as it is answered until it is refused (settlements free room, so spend nears the limit).
/// </summary>
public sealed class ConcurrencyBoundTests(ITestOutputHelper output)
{
    private const int Calls = 50;
    private const int MaxTokens = 200;
    private const decimal Limit = 0.01m;

    [Theory]
    [InlineData("default", false)]
    [InlineData("strict", false)]
    [InlineData("default", true)]
    [InlineData("strict", true)]
    public async Task Fifty_concurrent_callers_overshoot_a_budget_by_at_most_one_worst_case(string reserve, bool loop)
    {
        // A burst is held at the upstream (the mock's `slow` fault, 3 s) so that every call is judged before any
        // settles: on two cores the first answers could otherwise come back, and free room, mid-burst.
        await using var host = await PolicyGateway.StartAsync(
            $$"""{"budgets": [{"name": "burst", "scope": "global", "limit_usd": {{Limit.ToString(CultureInfo.InvariantCulture)}}, "window": "1d", "action": "block", "reserve": "{{reserve}}"}]}""",
            mockOptions: new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 12, RateLimits = new RateLimitSettings { Enforced = false }, SlowDelay = TimeSpan.FromSeconds(3) });
        (string, string)[] held = loop ? [] : [(MockFaults.Header, "slow")];
        var bodies = Enumerable.Range(0, Calls).Select(i => PolicyGateway.Body($"Concurrent call number {i:D2} of a runaway loop", stream: i % 2 == 0, maxTokens: MaxTokens)).ToArray();
        var worst = bodies.Max(b => PolicyGateway.WorstCaseUsd(b, MaxTokens));

        using var start = new SemaphoreSlim(0);
        var sends = bodies.Select(async body =>
        {
            await start.WaitAsync();
            var seen = new List<HttpStatusCode>();
            do
            {
                var (response, _) = await host.SendAsync(body, user: "loop", headers: held);
                seen.Add(response.StatusCode);
            }
            while (loop && seen[^1] == HttpStatusCode.OK && seen.Count < 20);
            return seen;
        }).ToArray();
        start.Release(Calls);
        var statuses = (await Task.WhenAll(sends)).SelectMany(s => s).ToArray();

        var records = await host.StopAndReadRecordsAsync();
        var admitted = records.Where(r => r.Error?.Origin != Core.Records.ErrorOrigin.Gateway).ToList();
        var spent = admitted.Sum(r => r.Cost?.TotalUsd ?? 0);
        var overshoot = spent - Limit;
        output.WriteLine($"reserve={reserve}, {(loop ? "loop" : "burst")}: {admitted.Count} admitted, {statuses.Count(s => s == HttpStatusCode.TooManyRequests)} refused; " +
            $"spent ${spent:F6} of ${Limit}; overshoot ${overshoot:F6} = {overshoot / worst:P1} of one worst case (${worst:F6}); mean call ${spent / admitted.Count:F6}");

        Assert.Equal(statuses.Length, records.Count);
        Assert.Equal(admitted.Count, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{s}"));
        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) > 0, "fifty calls at once are more than the budget");
        Assert.True(spent <= (reserve == "strict" ? Limit : Limit + worst), $"spent {spent} with a limit of {Limit} and a worst case of {worst}");
        if (!loop)
        {
            // A burst is admitted by reservations alone, none settled yet: as many worst cases as fit (and, by default, the one that crosses).
            var fit = (int)Math.Floor(Limit / bodies.Min(b => PolicyGateway.WorstCaseUsd(b, MaxTokens)));
            Assert.InRange(admitted.Count, fit - 1, reserve == "strict" ? fit : fit + 1);
        }
    }
}
