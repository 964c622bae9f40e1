using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;

namespace Claudit.Store;

/// <summary>Where call records are kept for querying: appended in batches, reported on, looked up by id.</summary>
public interface ICallStore : IAsyncDisposable
{
    /// <summary>Appends one batch in one transaction. Records whose id is already stored are skipped, so a retried batch is harmless.</summary>
    Task AppendAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken = default);

    /// <summary>The same <see cref="Report"/> <c>claudit report</c> builds from JSONL, computed with SQL aggregates.</summary>
    Task<Report> QueryReportAsync(ReportOptions options, CostCalculator pricing, CancellationToken cancellationToken = default);

    /// <summary>The record with this id as it was appended, or null.</summary>
    Task<CallRecord?> GetCallAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>How many records the store holds.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken = default);
}
