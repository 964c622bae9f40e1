using Claudit.Core.Records;

namespace Claudit.Core.Capture;

/// <summary>
/// Something a way in held for a call before it was sent, released by the call's priced record: the
/// gateway's budget and rate-limit reservation, settled to what the call really cost. The one
/// <see cref="CallFinisher"/> calls it once per finished call, for streams, cut streams and hang-ups alike.
/// It must not throw and must not block (a shared ledger settles in the background).
/// </summary>
public interface ICallSettlement
{
    void Settle(CallRecord record);
}
