using Claudit.Cli.Demo;

namespace Claudit.Cli.Tests;

/// <summary>The demo's traffic plan, without any server: deterministic, the size asked for, and the whole mix in it.</summary>
public class DemoScenarioTests
{
    [Fact]
    public void The_same_seed_gives_the_same_plan_and_another_seed_another()
    {
        var a = DemoScenario.Plan(seed: 42, calls: 300);
        var b = DemoScenario.Plan(seed: 42, calls: 300);
        var c = DemoScenario.Plan(seed: 43, calls: 300);

        Assert.Equal(a.Calls, b.Calls);
        Assert.Equal(a.Sessions.Select(s => s.Id), b.Sessions.Select(s => s.Id));
        Assert.NotEqual(a.Calls, c.Calls);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(60)]
    [InlineData(1000)]
    public void The_plan_has_exactly_the_calls_asked_for_in_sessions_of_consecutive_turns(int calls)
    {
        var plan = DemoScenario.Plan(seed: 5, calls);

        Assert.Equal(calls, plan.Calls.Count);
        Assert.Equal(Enumerable.Range(0, calls), plan.Calls.Select(c => c.Index));
        foreach (var session in plan.Sessions)
        {
            Assert.Equal(Enumerable.Range(0, session.Calls.Count), session.Calls.Select(c => c.Turn));
            // A session is one user's conversation with one feature on one model.
            Assert.Single(session.Calls.Select(c => (c.Session, c.Conversation, c.User, c.Tenant, c.Feature, c.Model)).Distinct());
            Assert.Equal(session.Id, session.Calls[0].Session);
        }

        Assert.Equal(plan.Sessions.Count, plan.Sessions.Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public void A_default_sized_plan_has_the_realistic_mix()
    {
        var plan = DemoScenario.Plan(seed: 1, calls: 300);
        var calls = plan.Calls;

        // Models: mostly Sonnet and Haiku, some Opus, all three priced ids.
        var byModel = calls.GroupBy(c => c.Model).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(DemoScenario.Models.Order(), byModel.Keys.Order());
        Assert.True(byModel[DemoScenario.Sonnet] + byModel[DemoScenario.Haiku] > 0.75 * calls.Count, string.Join(", ", byModel));
        Assert.InRange(byModel[DemoScenario.Opus], 5, 0.2 * calls.Count);

        Assert.Equal(DemoScenario.FeatureNames.Order(), calls.Select(c => c.Feature).Distinct().Order());
        Assert.Equal(4, calls.Select(c => c.Tenant).Distinct().Count());
        Assert.InRange(calls.Select(c => c.User).Distinct().Count(), 12, 20);
        Assert.InRange(calls.Count(c => c.Stream), 0.30 * calls.Count, 0.55 * calls.Count);
        Assert.Contains(plan.Sessions, s => s.Calls.Count >= 4);
        Assert.Contains(calls, c => c.Tools == DemoToolUse.Auto);
        Assert.Contains(calls, c => c.Tools == DemoToolUse.Forced);
        Assert.Contains(calls, c => c.SystemCacheTtl == "1h");
        Assert.Contains(calls, c => c.SystemCacheTtl == "5m");
        Assert.Contains(calls, c => c.SystemCacheTtl is null);
        Assert.Contains(calls, c => c.Experiment is not null);
        Assert.Contains(calls, c => c.Experiment is null);
        Assert.All(calls, c => Assert.Matches("^[0-9a-f]{32}$", c.TraceId));
    }

    [Fact]
    public void Faults_and_truncations_come_in_fixed_shares_one_kind_per_call()
    {
        var calls = DemoScenario.Plan(seed: 9, calls: 300).Calls;

        var byFault = calls.Where(c => c.Fault is not null).GroupBy(c => c.Fault!).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(9, byFault["rate_limit"].Count);
        Assert.Equal(6, byFault["overloaded"].Count);
        Assert.Equal(3, byFault["timeout"].Count);
        Assert.Equal(3, byFault["midstream_error"].Count);
        Assert.All(byFault["midstream_error"], c => Assert.True(c.Stream));
        // Some rate limits outlast the first retry, none outlasts the SDK's two.
        Assert.Contains(byFault["rate_limit"], c => c.FaultAttempts == 2);
        Assert.All(byFault.Values.SelectMany(v => v), c => Assert.InRange(c.FaultAttempts, 1, 2));

        var truncated = calls.Where(c => c.MaxTokens <= 16).ToList();
        Assert.Equal(12, truncated.Count);
        Assert.All(truncated, c => Assert.Null(c.Fault));
        Assert.All(calls.Where(c => c.Fault is null), c => Assert.Equal(0, c.FaultAttempts));
    }

    [Fact]
    public void Even_a_short_run_gets_every_kind_of_fault()
    {
        var calls = DemoScenario.Plan(seed: 3, calls: 20).Calls;

        Assert.Equal(["midstream_error", "overloaded", "rate_limit", "timeout"], calls.Select(c => c.Fault).OfType<string>().Distinct().Order());
        Assert.Contains(calls, c => c.MaxTokens <= 16);
    }

    [Fact]
    public void Cached_system_prompts_are_long_enough_for_haiku_and_the_same_for_every_session()
    {
        foreach (var feature in DemoScenario.FeatureNames)
        {
            var prompt = DemoPrompts.SystemPrompt(feature, longPrompt: true);
            // About four characters a token, and Haiku caches nothing under 2,048 tokens.
            Assert.True(prompt.Length / 4 > 2048, $"{feature}: {prompt.Length} chars");
            Assert.Same(prompt, DemoPrompts.SystemPrompt(feature, longPrompt: true));
        }
    }

    [Fact]
    public void A_plan_needs_at_least_one_call() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoScenario.Plan(seed: 1, calls: 0));
}
