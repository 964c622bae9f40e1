using Claudit.Core.Pricing;
using Claudit.Core.Records;

namespace Claudit.Store.Tests;

/// <summary>What goes into the store comes back out, field by field.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public class RoundTripTests
{
    [Fact]
    public async Task A_fully_populated_record_comes_back_equal()
    {
        using var dir = new TempStore();
        var record = TestRecords.Full();
        await using (var store = dir.Open())
        {
            await store.AppendAsync([record]);
        }

        // Reopened: it came from the file, not from a cache.
        await using var reopened = dir.Open(readOnly: true);
        var back = await reopened.GetCallAsync(record.Id);

        Assert.NotNull(back);
        Assert.Equal(RecordJson.Of(record), RecordJson.Of(back));
        Assert.Equal(record.StartTime.UtcTicks, back.StartTime.UtcTicks);
        Assert.Equal(record.Usage, back.Usage);
        Assert.Equal(record.Cost, back.Cost);
        Assert.Equal(record.Error, back.Error);
        Assert.Equal(record.RateLimits, back.RateLimits);
        Assert.Equal(record.Tags with { Properties = null }, back.Tags with { Properties = null });
        Assert.Equal(record.Tags.Properties, back.Tags.Properties);
        Assert.Equal(["max_tokens", "short_output"], back.QualityFlags);
        Assert.Equal(0.4375, back.ContextUtilisation);
        Assert.Equal((4, 1), (back.ToolResults, back.ToolResultErrors));
        Assert.Equal(record.ToolCalls.Count, back.ToolCalls.Count);
        for (var i = 0; i < record.ToolCalls.Count; i++)
        {
            Assert.Equal(record.ToolCalls[i].Name, back.ToolCalls[i].Name);
            Assert.Equal(record.ToolCalls[i].Kind, back.ToolCalls[i].Kind);
            Assert.Equal(record.ToolCalls[i].InputKeys, back.ToolCalls[i].InputKeys);
        }

        // Everything else is a scalar: with the collections set aside, the records are equal as values.
        Assert.Equal(record with { ToolCalls = [], Tags = CallTags.Empty, QualityFlags = [] }, back with { ToolCalls = [], Tags = CallTags.Empty, QualityFlags = [] });
    }

    [Fact]
    public async Task A_minimal_record_keeps_its_nulls()
    {
        using var dir = new TempStore();
        var record = new CallRecord { Id = Guid.CreateVersion7(), StartTime = TestRecords.Start, LatencyMs = 12.5 };
        await using var store = dir.Open();
        await store.AppendAsync([record]);

        var back = await store.GetCallAsync(record.Id);

        Assert.NotNull(back);
        Assert.Null(back.Usage);
        Assert.Null(back.Cost);
        Assert.Null(back.Error);
        Assert.Null(back.RateLimits);
        Assert.Null(back.Tags.Properties);
        Assert.Empty(back.ToolCalls);
        Assert.Equal(RecordJson.Of(record), RecordJson.Of(back));
        Assert.Equal(record with { Tags = CallTags.Empty }, back with { Tags = CallTags.Empty });
    }

    [Fact]
    public async Task Every_record_of_a_varied_mix_round_trips()
    {
        using var dir = new TempStore();
        var records = await TestRecords.MixAsync(300, seed: 3);
        await using var store = dir.Open();
        await store.AppendAsync(records);

        foreach (var record in records)
        {
            var back = await store.GetCallAsync(record.Id);
            Assert.NotNull(back);
            Assert.Equal(RecordJson.Of(WithoutTrailingZeros(record)), RecordJson.Of(back));
        }
    }

    /// <summary>
    /// A decimal's scale is not kept (DECIMAL columns have a fixed one): 0.0029610 comes back as the equal
    /// 0.002961, so the JSON of what went in is compared with its amounts written without trailing zeros.
    /// </summary>
    private static CallRecord WithoutTrailingZeros(CallRecord r) => r.Cost is not { } c ? r : r with
    {
        Cost = c with
        {
            TotalUsd = Money.Trim(c.TotalUsd),
            InputUsd = Money.Trim(c.InputUsd),
            CacheWrite5mUsd = Money.Trim(c.CacheWrite5mUsd),
            CacheWrite1hUsd = Money.Trim(c.CacheWrite1hUsd),
            CacheReadUsd = Money.Trim(c.CacheReadUsd),
            OutputUsd = Money.Trim(c.OutputUsd),
            WebSearchUsd = Money.Trim(c.WebSearchUsd),
        },
    };

    [Fact]
    public async Task An_unknown_id_is_null()
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        await store.AppendAsync([TestRecords.Full()]);

        Assert.Null(await store.GetCallAsync(Guid.NewGuid()));
    }
}
