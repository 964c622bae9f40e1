using Claudit.Alerts.Evaluation;
using Claudit.Alerts.Rules;
using Claudit.Store.DuckDb;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Alerts.Tests;

/// <summary>
/// An evaluator seeded from a real store (hourly totals for the long memories, then the last hours of
/// records) reads what one that saw every record reads: starting a gateway changes no alert.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class SeedingTests
{
    [Fact]
    public async Task A_seeded_evaluator_reads_what_one_that_saw_every_call_reads()
    {
        var dir = Directory.CreateTempSubdirectory("claudit-seed-").FullName;
        try
        {
            var now = new DateTimeOffset(2026, 11, 20, 12, 7, 0, TimeSpan.Zero);
            // Three days of realistic calls, the last hour heavier and costlier: spikes, per-user spend, cache.
            var generator = new RecordGenerator(11, now.AddDays(-3));
            var records = new List<Core.Records.CallRecord>();
            for (var t = now.AddDays(-3); t < now; t = t.AddSeconds(40))
            {
                records.Add(generator.Next() with { Id = Guid.CreateVersion7(t), StartTime = t });
            }

            for (var t = now.AddMinutes(-50); t < now; t = t.AddSeconds(2))
            {
                var r = generator.Next();
                records.Add(r with { Id = Guid.CreateVersion7(t), StartTime = t, Cost = r.Cost is { Priced: true } c ? c with { TotalUsd = c.TotalUsd * 20 } : r.Cost });
            }

            await using var store = DuckDbCallStore.Open(Path.Combine(dir, DuckDbCallStore.FileName));
            await store.AppendAsync(records);

            var rules = MetricCatalogue.All.Where(m => !m.OverBudgets).Select(m => DefaultRules.From(m with { Threshold = m.Threshold ?? 1 }) with { MinCalls = 1 }).ToList();
            var clock = new FakeTimeProvider(now);
            var replayed = new AlertEvaluator(rules, clock);
            foreach (var r in records.OrderBy(r => r.StartTime))
            {
                replayed.Observe(r);
            }

            var seeded = new AlertEvaluator(rules, clock);
            var count = await AlertSeeder.SeedAsync(seeded, store, now);
            Assert.InRange(count, 1, records.Count - 1); // the last hours only, not the three days

            var expected = Readings(replayed, now);
            var actual = Readings(seeded, now);
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (key, value) in expected)
            {
                Assert.True(Math.Abs(value - actual[key]) <= 1e-6 * Math.Max(1, Math.Abs(value)), $"{key}: replayed {value}, seeded {actual[key]}");
            }

            Assert.Equal(0.0 + replayed.Evaluate().Transitions.Count, seeded.Evaluate().Transitions.Count);
            Assert.Equal((double)replayed.Spend.ThisMonth(now), (double)seeded.Spend.ThisMonth(now), 6);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Dictionary<string, double> Readings(AlertEvaluator evaluator, DateTimeOffset now) =>
        evaluator.Trackers.SelectMany(t => t.Read(now, _ => false).Where(g => g.Reading is not null)
                .Select(g => ($"{t.Rule.Name} {g.Key[0]}|{g.Key[1]}|{g.Key[2]}", g.Reading!.Value)))
            .SelectMany(x => new[] { (x.Item1 + " value", x.Value.Value), (x.Item1 + " threshold", x.Value.Threshold), (x.Item1 + " calls", (double)x.Value.Calls) })
            .Where(x => !double.IsInfinity(x.Item2))
            .ToDictionary(x => x.Item1, x => x.Item2);
}
