using System.Text.Json;

namespace Claudit.Mock;

/// <summary>
/// The Admin usage and cost endpoints, answered from the usage ledger. Batch requests due by now are processed
/// first, so their usage is there, billed when each was processed.
/// </summary>
internal sealed class ReportsEndpoint(UsageLedger ledger, BatchStore batches, MockOptions options)
{
    public Task UsageAsync(MockCall call) =>
        AnswerAsync(call, (out Action<Utf8JsonWriter>? write) => UsageReport.Answer(call.Request, call.Now, ledger, out write));

    public Task CostAsync(MockCall call) =>
        AnswerAsync(call, (out Action<Utf8JsonWriter>? write) => CostReport.Answer(call.Request, call.Now, ledger, options.CostReport, out write));

    public Task AnalyticsUsageAsync(MockCall call) => AnalyticsAsync(call, cost: false);

    public Task AnalyticsCostAsync(MockCall call) => AnalyticsAsync(call, cost: true);

    private Task AnalyticsAsync(MockCall call, bool cost)
    {
        if (!MockHttp.HasBeta(call.Request, AnalyticsReport.Beta))
        {
            // The reference makes the beta header required but does not say how a call without it fails: the
            // API's usual refusal of a request it cannot take, 400 invalid_request_error, is the likeliest.
            return call.FailAsync(MockHttp.Invalid($"This endpoint is in beta: send the header anthropic-beta: {AnalyticsReport.Beta}"));
        }

        return AnswerAsync(call, (out Action<Utf8JsonWriter>? write) =>
            AnalyticsReport.Answer(call.Request, cost, call.Now, ledger, options.CostReport, out write));
    }

    private Task AnswerAsync(MockCall call, Report report)
    {
        batches.AdvanceAll(call.Now);
        return report(out var write) is { } error ? call.FailAsync(error) : call.OkAsync(write!);
    }

    private delegate MockError? Report(out Action<Utf8JsonWriter>? write);
}
