using System.Globalization;
using System.Net;

namespace Claudit.Server.Access;

/// <summary>
/// The names a browser may reach the gateway by (the <c>Host</c> header): the loopback names
/// <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c> on the gateway's own port, the address it listens
/// on, and what <c>claudit serve --allowed-hosts</c> adds (<c>name</c> on the
/// gateway's port, or <c>name:port</c> for a proxy in front on another). A page whose DNS name was
/// rebound to 127.0.0.1 sends its own name, which is none of these.
/// </summary>
public sealed class AllowedHosts
{
    public static readonly IReadOnlyList<string> LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    private readonly (string Name, int? Port)[] _hosts;

    private AllowedHosts((string Name, int? Port)[] hosts) => _hosts = hosts;

    /// <summary>The loopback names, <paramref name="listenAddress"/>, and <paramref name="configured"/>.</summary>
    public static AllowedHosts Create(IEnumerable<string> configured, string listenAddress)
    {
        var hosts = LoopbackNames.Select(n => (n, (int?)null)).ToList();
        // The listen address as a name too (0.0.0.0 as well: the URL claudit serve prints): a rebound page has a name of its own.
        if (IPAddress.TryParse(listenAddress, out var address) && !IPAddress.IsLoopback(address))
        {
            hosts.Add((address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString(), null));
        }

        foreach (var entry in configured)
        {
            hosts.Add(TryParse(entry, out var host, out var error) ? host : throw new ArgumentException(error, nameof(configured)));
        }

        return new AllowedHosts([.. hosts]);
    }

    /// <summary>One <c>--allowed-hosts</c> entry: a host name or IP address, with an optional <c>:port</c>.</summary>
    public static bool TryParse(string entry, out (string Name, int? Port) host, out string? error)
    {
        host = default;
        error = null;
        var text = entry.Trim().ToLowerInvariant();
        int? port = null;
        if (text.Contains('/', StringComparison.Ordinal) || text.Contains('@', StringComparison.Ordinal))
        {
            error = $"'{entry}' is not a host name (a name or address, optionally :port; not a URL)";
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon > 0 && (text[0] != '[' || text[colon - 1] == ']'))
        {
            if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                error = $"'{entry}' has no valid port after ':'";
                return false;
            }

            port = p;
            text = text[..colon];
        }

        var name = text.TrimEnd('.');
        var valid = name.Length is > 0 and <= 253 && (name.StartsWith('[')
            ? name.EndsWith(']') && IPAddress.TryParse(name[1..^1], out _)
            : name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'));
        if (!valid)
        {
            error = $"'{entry}' is not a host name (a name or address, optionally :port; IPv6 in brackets)";
            return false;
        }

        host = (name, port);
        return true;
    }

    /// <summary>The names, as a person reads them: <c>localhost, 127.0.0.1, [::1], claudit.internal, dash.example:8443</c>.</summary>
    public override string ToString() => string.Join(", ", _hosts.Select(h => h.Port is { } p ? $"{h.Name}:{p}" : h.Name));

    /// <summary>Whether a request's <c>Host</c> (or an <c>Origin</c>'s host) names this gateway. Reads the header in place: it runs on every request.</summary>
    public bool Allows(HostString requested, int localPort, bool https)
    {
        var value = requested.Value.AsSpan();
        var close = value.StartsWith('[') ? value.IndexOf(']') : -1;
        var colon = value[(close + 1)..].LastIndexOf(':');
        var name = colon < 0 ? value : value[..(close + 1 + colon)];
        int port;
        if (colon < 0)
        {
            port = https ? 443 : 80;
        }
        else if (!int.TryParse(value[(close + 2 + colon)..], NumberStyles.None, CultureInfo.InvariantCulture, out port))
        {
            return false;
        }

        name = name.TrimEnd('.');
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (var (allowed, allowedPort) in _hosts)
        {
            if (port == (allowedPort ?? localPort) && name.Equals(allowed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
