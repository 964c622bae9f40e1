namespace Claudit.Store.ClickHouse;

/// <summary>
/// Where a ClickHouse store is: <c>clickhouse://USER:PASS@HOST:8123/DB</c>, ClickHouse's HTTP interface. The
/// password is kept apart from <see cref="ToString"/>, which is what messages and logs show.
/// </summary>
public sealed record ClickHouseLocation(Uri Http, string Database, string User, string Password)
{
    public const string Scheme = "clickhouse";

    /// <summary>Whether <paramref name="store"/> names a ClickHouse store rather than a path.</summary>
    public static bool Names(string store) => store.StartsWith(Scheme + "://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The location a <c>clickhouse://</c> URL names; a <see cref="StoreException"/> saying what is wrong with it otherwise.</summary>
    public static ClickHouseLocation Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.Scheme.Equals(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreException($"'{Redact(url)}' is not a ClickHouse URL: expected clickhouse://USER:PASS@HOST:8123/DB");
        }

        var database = uri.AbsolutePath.Trim('/');
        if (database.Length == 0 || !database.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new StoreException($"'{Redact(url)}' names no database (letters, digits and _): expected clickhouse://USER:PASS@HOST:8123/DB");
        }

        var userInfo = uri.UserInfo.Split(':', 2);
        var user = Uri.UnescapeDataString(userInfo[0]);
        var password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "";
        var port = uri.IsDefaultPort ? 8123 : uri.Port;
        return new ClickHouseLocation(new Uri($"http://{uri.Host}:{port}/"), database, user.Length == 0 ? "default" : user, password);
    }

    /// <summary>The URL without its password.</summary>
    public override string ToString() => $"{Scheme}://{User}@{Http.Host}:{Http.Port}/{Database}";

    private static string Redact(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var colon = url.IndexOf(':', url.IndexOf("//", StringComparison.Ordinal) is var s and >= 0 ? s + 2 : 0);
        return at > 0 && colon > 0 && colon < at ? url[..colon] + ":***" + url[at..] : url;
    }
}
