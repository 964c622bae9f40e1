using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Claudit.Server.Access;

/// <summary>
/// The dashboard's login sessions, kept in the gateway's memory: a session id is 256 random bits
/// (the cookie holds it, never the token), maps to the grant of the token that logged in, and ends
/// after <see cref="Lifetime"/>, at logout, or when the gateway restarts. At most
/// <see cref="MaxSessions"/> live at once; past that, the oldest is ended to make room.
/// </summary>
internal sealed class LoginSessions(TimeProvider time)
{
    public const string CookieName = "claudit_session";
    public const int MaxSessions = 10_000;

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, (AccessGrant Grant, DateTimeOffset Expires)> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    /// <summary>A new session for <paramref name="grant"/>: its id, for the cookie.</summary>
    public string Start(AccessGrant grant)
    {
        var now = time.GetUtcNow();
        if (_sessions.Count >= MaxSessions)
        {
            foreach (var (id, session) in _sessions)
            {
                if (session.Expires <= now)
                {
                    _sessions.TryRemove(id, out _);
                }
            }

            while (_sessions.Count >= MaxSessions && _sessions.OrderBy(s => s.Value.Expires).Select(s => s.Key).FirstOrDefault() is { } oldest)
            {
                _sessions.TryRemove(oldest, out _);
            }
        }

        var sessionId = Base64Url(RandomNumberGenerator.GetBytes(32));
        _sessions[sessionId] = (grant, now + Lifetime);
        return sessionId;
    }

    /// <summary>The grant of a live session, or null (unknown, ended or expired).</summary>
    public AccessGrant? Find(string? sessionId)
    {
        if (string.IsNullOrEmpty(sessionId) || !_sessions.TryGetValue(sessionId, out var session))
        {
            return null;
        }

        if (session.Expires > time.GetUtcNow())
        {
            return session.Grant;
        }

        _sessions.TryRemove(sessionId, out _);
        return null;
    }

    public void End(string? sessionId)
    {
        if (!string.IsNullOrEmpty(sessionId))
        {
            _sessions.TryRemove(sessionId, out _);
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
