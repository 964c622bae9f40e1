using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Store.ReadModel;

namespace Claudit.Store.Tests;

/// <summary>
/// A tenant-scoped caller's filter (<see cref="RecordFilter.AllowedTenants"/>) is enforced in the store's
/// own queries: a call or a session of another tenant is not found by id, and no view counts it.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public class TenantScopeTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RecordFilter AcmeOnly = new() { AllowedTenants = new HashSet<string> { "acme" } };

    private static CallRecord Call(int n, string? tenant, string session) => new()
    {
        Id = Guid.CreateVersion7(Start.AddSeconds(n)),
        StartTime = Start.AddSeconds(n),
        ModelUsed = "claude-haiku-4-5",
        LatencyMs = 100 + n,
        Usage = new TokenUsage { InputTokens = 10 * n, OutputTokens = n },
        Tags = new CallTags { Tenant = tenant, Session = session },
    };

    [Fact]
    public async Task Another_tenants_call_and_session_are_not_found_and_no_view_counts_them()
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        var acme = Call(1, "acme", "s-acme");
        var globex = Call(2, "globex", "s-globex");
        var none = Call(3, null, "s-none");
        var shared = Call(4, "globex", "s-acme"); // another tenant's call in a session id acme also uses
        await store.AppendAsync([acme, globex, none, shared]);

        Assert.NotNull(await store.GetCallAsync(acme.Id, AcmeOnly));
        Assert.Null(await store.GetCallAsync(globex.Id, AcmeOnly));
        Assert.Null(await store.GetCallAsync(none.Id, AcmeOnly)); // no tenant is not acme
        Assert.NotNull(await store.GetCallAsync(globex.Id)); // unscoped: everything

        Assert.Null(await store.GetSessionAsync("s-globex", CostBasis.Recorded, AcmeOnly));
        var session = await store.GetSessionAsync("s-acme", CostBasis.Recorded, AcmeOnly);
        Assert.Equal([acme.Id], session!.Calls.Select(c => c.Id));
        Assert.Equal(2, (await store.GetSessionAsync("s-acme", CostBasis.Recorded))!.Calls.Length);

        var range = AcmeOnly with { Since = Start, Until = Start.AddHours(1) };
        Assert.Equal(1, (await store.QueryOverviewAsync(range, CostBasis.Recorded)).Current.Requests);
        Assert.Equal([acme.Id], (await store.QueryCallsAsync(range, CostBasis.Recorded, new CallListQuery())).Select(c => c.Id));
        Assert.Equal(["acme"], (await store.QueryBreakdownAsync(range, CostBasis.Recorded, BreakdownKey.Tenant, 10)).Select(r => r.Key));
        Assert.Equal(["s-acme"], (await store.QuerySessionsAsync(range, CostBasis.Recorded, 10)).Select(s => s.Id));
        Assert.Equal(1, (await store.QueryQualityAsync(range)).Answered);
        Assert.Equal(1, (await store.QueryReportAsync(new ReportOptions { Filter = AcmeOnly }, Core.Pricing.CostCalculator.Default)).Calls);
        Assert.Equal(0, (await store.QueryReportAsync(new ReportOptions { Filter = AcmeOnly with { Tenant = "globex" } }, Core.Pricing.CostCalculator.Default)).Calls);
    }
}
