namespace Claudit.Server.Upstream;

/// <summary>
/// Whether the upstream answers, as <c>/readyz</c> reports it: down after <see cref="FailuresToDown"/>
/// forwarded calls in a row got no answer at all (connection refused or reset, DNS, timeout), up again
/// as soon as anything answers — a forwarded call, whatever its status, or the probe. While it is
/// down, each <c>/readyz</c> starts a probe (a plain GET of the upstream's base address, no key, no
/// cost) at most once every <see cref="ProbeInterval"/>, so that a gateway a load balancer took out
/// of rotation, which then forwards nothing, still notices the upstream coming back. The probe speaks the
/// HTTP version the calls are forwarded with (<see cref="UpstreamProtocol"/>).
/// </summary>
internal sealed class UpstreamHealth(Uri upstream, bool http2, ILogger logger) : IDisposable
{
    public const int FailuresToDown = 3;

    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(5);

    private readonly HttpClient _probe = new(new SocketsHttpHandler { ConnectTimeout = ProbeInterval, AllowAutoRedirect = false, UseProxy = false }) { Timeout = ProbeInterval };
    private int _failures;
    private long _lastProbe = long.MinValue / 2; // long ago, without overflowing the subtraction
    private int _probing;

    public bool Down => Volatile.Read(ref _failures) >= FailuresToDown;

    /// <summary>Forwarded calls in a row that got no answer.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _failures);

    /// <summary>The upstream answered (any status).</summary>
    public void Answered()
    {
        if (Interlocked.Exchange(ref _failures, 0) >= FailuresToDown)
        {
            GatewayLog.UpstreamBack(logger, upstream);
        }
    }

    /// <summary>A forwarded call got no answer from the upstream.</summary>
    public void Unreachable(string errorType)
    {
        if (Interlocked.Increment(ref _failures) == FailuresToDown)
        {
            GatewayLog.UpstreamDown(logger, upstream, FailuresToDown, errorType);
        }
    }

    /// <summary>While down, starts a probe unless one ran within <see cref="ProbeInterval"/>; never waits for it.</summary>
    public void ProbeIfDown()
    {
        var now = Environment.TickCount64;
        if (!Down || now - Interlocked.Read(ref _lastProbe) < (long)ProbeInterval.TotalMilliseconds || Interlocked.Exchange(ref _probing, 1) == 1)
        {
            return;
        }

        Interlocked.Exchange(ref _lastProbe, now);
        _ = Task.Run(async () =>
        {
            try
            {
                using var probe = new HttpRequestMessage(HttpMethod.Get, upstream);
                UpstreamProtocol.Apply(probe, http2);
                using var response = await _probe.SendAsync(probe, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                Answered();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ObjectDisposedException)
            {
                // still down
            }
            finally
            {
                Volatile.Write(ref _probing, 0);
            }
        });
    }

    public void Dispose() => _probe.Dispose();
}
