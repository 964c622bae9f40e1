using System.Text;
using BenchmarkDotNet.Attributes;
using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Server.Budgets;
using Claudit.Server.Keys;
using Microsoft.Extensions.Logging.Abstractions;

namespace Claudit.Benchmarks;

/// <summary>
/// What enforcement adds to one call, on the gateway's request path (docs/budgets.md): the worst case read from
/// the request and priced, a reservation on the ledger, and its settlement with the priced record — without
/// policies (<see cref="NoPolicies"/>: the gate has nothing to do) and with three (a per-user budget, a tenant
/// budget, a per-user requests-per-minute limit; every call matches all three). Users rotate over 1,000 so the
/// counters are many, as under real traffic. <see cref="ThreePoliciesConcurrent"/> is the same on every core at once (lock contention).
/// </summary>
[MemoryDiagnoser]
public class PolicyGateBenchmarks
{
    private static readonly byte[] s_body = Encoding.UTF8.GetBytes(
        """{"model":"claude-sonnet-4-6","max_tokens":1024,"system":"You are terse.","messages":[{"role":"user","content":"Summarise the quarterly report in three bullet points."}]}""");

    private static readonly CallRecord s_record = new()
    {
        Id = Guid.CreateVersion7(),
        StartTime = DateTimeOffset.UtcNow,
        ModelRequested = "claude-sonnet-4-6",
        Usage = new TokenUsage { InputTokens = 42, OutputTokens = 18 },
        Cost = new CallCost { Priced = true, TotalUsd = 0.000396m },
    };

    private MessageRequestInfo _request = null!;
    private PolicyGate _none = null!;
    private PolicyGate _three = null!;
    private CallTags[] _users = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _request = MessageRequestParser.Parse(s_body);
        var three = PolicySet.Parse("""
            {"budgets": [{"name": "user-daily", "scope": "user", "limit_usd": 1000000, "window": "1d"},
                         {"name": "team-monthly", "scope": "tenant", "match": {"tenant": "acme"}, "limit_usd": 1000000, "window": "1mo", "action": "warn"}],
             "rate_limits": [{"name": "user-rpm", "scope": "user", "requests": 1000000000, "window": "1m"}]}
            """u8, "bench");
        _none = Gate(PolicySet.Empty);
        _three = Gate(three);
        _users = Enumerable.Range(0, 1000).Select(i => new CallTags { User = "user-" + i, Tenant = "acme" }).ToArray();
    }

    private static PolicyGate Gate(PolicySet policies)
    {
        var keys = new VirtualKeyRing([]);
        var book = new PolicyBook(policies, keys);
        var ledger = new InProcessPolicyLedger();
        var metrics = new PolicyMetrics(new PolicyStatusView(book, ledger, TimeProvider.System));
        return new PolicyGate(book, ledger, CostCalculator.Default, metrics, NullLogger.Instance);
    }

    [Benchmark(Baseline = true)]
    public async Task NoPolicies() => await AdmitAndSettleAsync(_none);

    [Benchmark]
    public async Task ThreePolicies() => await AdmitAndSettleAsync(_three);

    [Benchmark(OperationsPerInvoke = 64)]
    public async Task ThreePoliciesConcurrent()
    {
        var calls = new Task[64];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = Task.Run(() => AdmitAndSettleAsync(_three));
        }

        await Task.WhenAll(calls);
    }

    private async Task AdmitAndSettleAsync(PolicyGate gate)
    {
        var tags = _users[(uint)Interlocked.Increment(ref _next) % (uint)_users.Length];
        var worst = WorstCaseRequest.Of(_request, s_body);
        var decision = await gate.AdmitAsync(_request, worst, new PolicyScopes(tags, null, _request.Model), DateTimeOffset.UtcNow, CancellationToken.None);
        using var settlement = decision.Settlement;
        settlement?.Settle(s_record);
    }
}
