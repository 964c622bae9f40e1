namespace Claudit.Core.Reporting;

/// <summary>
/// The failure rate after retries: what the caller finally saw, beside the per-attempt error rate. A retry
/// is an attempt linked to an earlier failed attempt (<c>tags.parent_id</c>, set by <c>RetryLinker</c>), so
/// each retry stands for exactly one failure that was tried again: the logical requests are the calls
/// minus the retries, and those that finally failed are the errors minus the retries.
/// </summary>
public static class AfterRetries
{
    /// <summary>(errors − retries) / (calls − retries); 0 when no logical request is left.</summary>
    public static double FailureRate(long calls, long errors, long retries) =>
        calls - retries <= 0 ? 0 : (double)Math.Max(0, errors - retries) / (calls - retries);
}
