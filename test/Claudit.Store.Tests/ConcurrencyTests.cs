using Claudit.Core.Pricing;
using Claudit.Core.Reporting;

namespace Claudit.Store.Tests;

/// <summary>The gateway's sink appends while API requests query: one store, many threads.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public class ConcurrencyTests
{
    [Fact]
    public async Task Appends_and_queries_at_the_same_time_see_whole_batches()
    {
        using var dir = new TempStore();
        var records = await TestRecords.MixAsync(4000, seed: 5);
        var batches = records.Chunk(250).ToArray();
        await using var store = dir.Open();

        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < batches.Length; i += 3)
            {
                await store.AppendAsync(batches[i]);
            }
        })).ToArray();
        var observed = new List<long>();
        while (!writers.All(t => t.IsCompleted))
        {
            // Every endpoint: the mix holds free calls too, which a default (billable) report leaves out of its count.
            var report = await store.QueryReportAsync(new ReportOptions { Filter = new RecordFilter { Endpoint = EndpointScope.All } }, CostCalculator.Default);
            observed.Add(report.Calls);
            await store.GetCallAsync(records[0].Id);
        }

        await Task.WhenAll(writers);

        Assert.Equal(records.Count, await store.CountAsync());
        // A query sees a batch entirely or not at all: what it counts is a number of full batches, plus maybe the short last one.
        var shortBatch = records.Count % 250;
        Assert.All(observed, calls => Assert.True(calls % 250 == 0 || (calls - shortBatch) % 250 == 0, $"saw {calls} calls"));
        Assert.NotEmpty(observed);
    }
}
