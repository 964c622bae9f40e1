using StackExchange.Redis;

namespace Claudit.Server.SharedState;

/// <summary>
/// <c>--shared-state redis://HOST:6379</c>: the Redis connection the fleet's budgets (<see cref="RedisPolicyLedger"/>)
/// and alert lease (<see cref="RedisAlertSendLease"/>) share.
/// </summary>
internal static class RedisSharedState
{
    public const string Scheme = "redis";

    /// <summary>Connects to the Redis the URL names; a <see cref="GatewayStartException"/> in one line when it cannot.</summary>
    public static async Task<IConnectionMultiplexer> ConnectAsync(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Scheme || uri.Host.Length == 0)
        {
            throw new GatewayStartException($"--shared-state must be redis://HOST:PORT, not '{url}'");
        }

        var options = new ConfigurationOptions { EndPoints = { { uri.Host, uri.IsDefaultPort ? 6379 : uri.Port } }, AbortOnConnectFail = true, ConnectTimeout = 5000 };
        if (uri.UserInfo.Split(':', 2) is [var user, var password])
        {
            options.User = user.Length == 0 ? null : Uri.UnescapeDataString(user);
            options.Password = Uri.UnescapeDataString(password);
        }

        try
        {
            // After the first connection, a lost one is retried in the background (operations fail meanwhile: see the ledger and the lease).
            var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            return connection;
        }
        catch (RedisConnectionException ex)
        {
            throw new GatewayStartException($"the shared state at redis://{uri.Host}:{uri.Port} cannot be reached: {ex.Message.Split('\n')[0]}", ex);
        }
    }
}
