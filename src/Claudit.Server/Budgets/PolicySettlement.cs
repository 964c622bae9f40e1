using Claudit.Core.Capture;
using Claudit.Core.Records;

namespace Claudit.Server.Budgets;

/// <summary>
/// An admitted call's reservation, settled by Core's <see cref="CallFinisher"/> with the call's priced record
/// (however it ended: answered, streamed, cut, hung up on): its counters keep the recorded priced cost, its
/// tokens (all input and output) and one request, in place of the worst case they held. Settles once; a
/// reservation whose call never reached the finisher is released when it is disposed.
/// </summary>
internal sealed class PolicySettlement(IPolicyLedger ledger, LedgerHold hold, ILogger logger) : ICallSettlement, IDisposable
{
    private int _done;

    public void Settle(CallRecord record)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0)
        {
            return;
        }

        var usd = record.Cost is { Priced: true } cost ? cost.TotalUsd : 0m;
        var tokens = record.Usage is { } usage ? usage.TotalInputTokens + usage.OutputTokens : 0;
        Observe(ledger.SettleAsync(hold, new LedgerAmounts(usd, tokens)));
    }

    /// <summary>Gives the reservation back if the call was never settled (it failed before the finisher saw it).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            Observe(ledger.ReleaseAsync(hold));
        }
    }

    /// <summary>A shared ledger settles in the background: the request path never waits for it, and a failure is logged.</summary>
    private void Observe(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully)
        {
            _ = ObserveAsync(pending.AsTask());
        }
    }

    private async Task ObserveAsync(Task pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a ledger failure must not fail the call; it is logged
        catch (Exception ex)
#pragma warning restore CA1031
        {
            GatewayLog.LedgerFailed(logger, ex.Message);
        }
    }
}
