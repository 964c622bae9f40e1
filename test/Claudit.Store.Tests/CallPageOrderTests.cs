using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Store.ReadModel;

namespace Claudit.Store.Tests;

/// <summary>
/// Pages of calls ordered by cost or latency are found in two steps (the value at the page's last position,
/// then the rows at or past it in full order); each page must be exactly the slice of the full order, with
/// ties broken by id, including ties that straddle the page's edges.
/// </summary>
public sealed class CallPageOrderTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);

    /// <param name="spacingSeconds">0: the generator's own pace (ten minutes, no whole hour); else calls that far
    /// apart, over whole hours, whose hourly cost peaks bound the dearest pages (<c>CostPeakSql</c>).</param>
    [Theory]
    [InlineData(0)]
    [InlineData(50.5)]
    public async Task Pages_by_cost_and_latency_are_slices_of_the_full_order_with_ties_broken_by_id(double spacingSeconds)
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        var generator = new RecordGenerator(7, Start);
        var records = Enumerable.Range(0, 3_000).Select(i =>
        {
            var record = generator.Next();
            var at = Start.AddSeconds(spacingSeconds * i);
            return spacingSeconds == 0 ? record : record with { Id = Guid.CreateVersion7(at), StartTime = at };
        }).ToList();
        // Ties at the top and the bottom: copies of the dearest, cheapest, slowest and fastest calls, new ids only.
        var priced = records.Where(r => r.Cost is { Priced: true }).ToList();
        var seeds = priced.OrderByDescending(r => r.Cost!.TotalUsd).Take(4)
            .Concat(priced.OrderBy(r => r.Cost!.TotalUsd).Take(4))
            .Concat(records.OrderByDescending(r => r.LatencyMs).Take(4))
            .Concat(records.OrderBy(r => r.LatencyMs).Take(4)).ToList();
        var n = 0;
        foreach (var seed in seeds)
        {
            for (var copy = 0; copy < 5; copy++)
            {
                var at = seed.StartTime.AddMilliseconds(++n);
                records.Add(seed with { Id = Guid.CreateVersion7(at), StartTime = at });
            }
        }

        foreach (var batch in records.OrderBy(r => r.StartTime).Chunk(500))
        {
            await store.AppendAsync(batch);
        }

        var range = new RecordFilter { Since = Start.AddHours(-1), Until = records.Max(r => r.StartTime).AddHours(1), Endpoint = EndpointScope.All };
        var byCost = records.Where(r => r.Cost is { Priced: true }).ToList();
        foreach (var ascending in new[] { false, true })
        {
            var cost = Order(byCost, r => r.Cost!.TotalUsd, ascending);
            var latency = Order(records, r => r.LatencyMs, ascending);
            foreach (var (offset, limit) in new[] { (0, 1), (0, 3), (0, 10), (2, 3), (10, 7), (17, 25), (byCost.Count - 5, 10), (records.Count + 5, 10) })
            {
                var costPage = await store.QueryCallsAsync(range, CostBasis.Recorded, new CallListQuery { Order = CallOrder.Cost, Ascending = ascending, Offset = offset, Limit = limit });
                Assert.Equal(cost.Skip(offset).Take(limit), costPage.Select(c => c.Id));
                var latencyPage = await store.QueryCallsAsync(range, CostBasis.Recorded, new CallListQuery { Order = CallOrder.Latency, Ascending = ascending, Offset = offset, Limit = limit });
                Assert.Equal(latency.Skip(offset).Take(limit), latencyPage.Select(c => c.Id));
            }
        }
    }

    // DuckDB orders UUIDs as their text, which is the order of the canonical lower-case form.
    private static List<Guid> Order<T>(IEnumerable<CallRecord> records, Func<CallRecord, T> value, bool ascending)
    {
        var ordered = ascending ? records.OrderBy(value) : records.OrderByDescending(value);
        return [.. ordered.ThenBy(r => r.Id.ToString("D"), StringComparer.Ordinal).Select(r => r.Id)];
    }
}
