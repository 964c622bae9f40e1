using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;

namespace Claudit.Core.Tests.Reporting;

/// <summary>The report's failure rate after retries: what callers finally saw, beside the per-attempt error rate, and kept when accumulators merge.</summary>
public class ReportAfterRetriesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static CallRecord Attempt(int i, bool failed, Guid? parent = null, int attempt = 0) => new()
    {
        Id = Guid.CreateVersion7(T0.AddSeconds(i)),
        StartTime = T0.AddSeconds(i),
        ModelRequested = "claude-haiku-4-5",
        LatencyMs = 10,
        Status = failed ? CallStatus.Error : CallStatus.Ok,
        Error = failed ? new CallError { Type = "overloaded_error", Message = "Overloaded" } : null,
        Tags = new CallTags { ParentId = parent?.ToString(), Attempt = attempt },
    };

    [Fact]
    public void Retried_failures_count_once_by_their_last_attempt()
    {
        // Four logical requests: one answered at once; one failed then answered; one failed twice then answered; one failed, retried, failed for good.
        var a = Attempt(0, false);
        var b0 = Attempt(1, true);
        var c0 = Attempt(3, true);
        var d0 = Attempt(6, true);
        CallRecord[] records =
        [
            a, b0, Attempt(2, false, b0.Id, 1),
            c0, Attempt(4, true, c0.Id, 1), Attempt(5, false, c0.Id, 2),
            d0, Attempt(7, true, d0.Id, 1),
        ];
        var accumulator = new ReportAccumulator(new ReportOptions(), CostCalculator.Default);
        foreach (var r in records)
        {
            accumulator.Add(r);
        }

        var report = accumulator.Build();
        Assert.Equal(5.0 / 8, report.ErrorRate);
        Assert.Equal(1.0 / 4, report.FailureRateAfterRetries);

        var first = new ReportAccumulator(new ReportOptions(), CostCalculator.Default);
        var second = new ReportAccumulator(new ReportOptions(), CostCalculator.Default);
        foreach (var (r, i) in records.Select((r, i) => (r, i)))
        {
            (i < 4 ? first : second).Add(r);
        }

        first.Merge(second);
        Assert.Equal(report.FailureRateAfterRetries, first.Build().FailureRateAfterRetries);
    }
}
