using Claudit.Server.Keys;
using Claudit.Store.Keys;

namespace Claudit.Server.SharedState;

/// <summary>
/// Virtual keys across a fleet: every gateway on a shared store reads the keys back every <see cref="Every"/>, so a
/// key made or revoked through one gateway's <c>/api/keys</c> is honoured by the others within that time (the
/// gateway that made it, at once). A store that cannot answer leaves the ring as it was.
/// </summary>
internal sealed class SharedKeyRefresh : IAsyncDisposable
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SharedKeyRefresh(IVirtualKeyStore store, VirtualKeyRing ring, ILogger logger)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Every);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                {
                    try
                    {
                        foreach (var key in await store.ListKeysAsync(_stop.Token).ConfigureAwait(false))
                        {
                            ring.Put(key);
                        }
                    }
                    catch (Store.StoreException ex)
                    {
                        GatewayLog.KeyRefreshFailed(logger, ex.Message);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
