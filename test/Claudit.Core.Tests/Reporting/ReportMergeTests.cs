using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;

namespace Claudit.Core.Tests.Reporting;

/// <summary>Accumulators fed parts of the records and merged give the report of one accumulator fed everything.</summary>
public class ReportMergeTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 23, 50, 0, TimeSpan.Zero);

    private static readonly Lazy<CallRecord[]> s_records = new(() =>
    {
        var generator = new RecordGenerator(seed: 42, Start);
        return Enumerable.Range(0, 5000).Select(_ => generator.Next()).ToArray();
    });

    public static TheoryData<GroupBy, CostMode> Options() => new()
    {
        { GroupBy.Model, CostMode.Recomputed },
        { GroupBy.Feature, CostMode.Recomputed },
        { GroupBy.User, CostMode.Recomputed },
        { GroupBy.Tenant, CostMode.Recorded },
        { GroupBy.Session, CostMode.Recomputed },
        { GroupBy.Day, CostMode.Recorded },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void Two_halves_merged_equal_one_accumulator(GroupBy by, CostMode cost)
    {
        var options = new ReportOptions { GroupBy = by, CostMode = cost };
        var records = s_records.Value;

        var whole = Fold(options, records);
        var first = Fold(options, records[..2500]);
        first.Merge(Fold(options, records[2500..]));

        AssertSameReport(whole.Build(), first.Build());
    }

    [Fact]
    public void Interleaved_parts_merged_in_any_order_equal_one_accumulator()
    {
        var options = new ReportOptions();
        var records = s_records.Value;

        var whole = Fold(options, records).Build();
        var parts = Enumerable.Range(0, 4).Select(k => Fold(options, records.Where((_, i) => i % 4 == k))).ToArray();
        var merged = new ReportAccumulator(options, CostCalculator.Default);
        foreach (var part in parts.Reverse())
        {
            merged.Merge(part);
        }

        AssertSameReport(whole, merged.Build());
    }

    [Fact]
    public void Generated_records_exercise_what_merge_must_combine()
    {
        var report = Fold(new ReportOptions(), s_records.Value).Build();

        Assert.Equal(5000, report.Calls);
        Assert.True(report.Errors > 0);
        Assert.True(report.Coverage.UnpricedCalls > 0);
        Assert.Equal(10, report.TopCalls.Count);
        Assert.Equal(10, report.RecentErrors.Count);
        Assert.True(report.By.Count > 3);
    }

    [Fact]
    public void Merging_an_empty_accumulator_changes_nothing()
    {
        var options = new ReportOptions();
        var whole = Fold(options, s_records.Value);
        var before = ReportJsonContext.Serialize(whole.Build());

        whole.Merge(new ReportAccumulator(options, CostCalculator.Default));

        Assert.Equal(before, ReportJsonContext.Serialize(whole.Build()));
    }

    [Theory]
    [InlineData(GroupBy.User)]
    [InlineData(GroupBy.Session)]
    public void Merge_leaves_the_other_accumulator_unchanged(GroupBy by)
    {
        // Groups the target first meets in the other accumulator, then meets again in its own records.
        var options = new ReportOptions { GroupBy = by };
        var records = s_records.Value;
        var target = Fold(options, records[..100]);
        var other = Fold(options, records[100..200]);
        var otherBefore = ReportJsonContext.Serialize(other.Build());

        target.Merge(other);
        foreach (var r in records[200..300])
        {
            target.Add(r);
        }

        Assert.Equal(otherBefore, ReportJsonContext.Serialize(other.Build()));
        AssertSameReport(Fold(options, records[..300]).Build(), target.Build());
    }

    private static ReportAccumulator Fold(ReportOptions options, IEnumerable<CallRecord> records)
    {
        var accumulator = new ReportAccumulator(options, CostCalculator.Default);
        foreach (var r in records)
        {
            accumulator.Add(r);
        }

        return accumulator;
    }

    private static void AssertSameReport(Report expected, Report actual)
    {
        Assert.Equal(expected.Calls, actual.Calls);
        Assert.Equal(expected.CostUsd, actual.CostUsd);
        Assert.Equal(expected.Tokens, actual.Tokens);
        Assert.Equal(expected.LatencyMs, actual.LatencyMs);
        Assert.Equal(expected.By, actual.By);
        Assert.Equal(expected.TopCalls, actual.TopCalls);
        Assert.Equal(expected.RecentErrors, actual.RecentErrors);
        // Everything else, field by field, through the report's JSON form.
        Assert.Equal(ReportJsonContext.Serialize(expected), ReportJsonContext.Serialize(actual));
    }
}
