using System.Security.Cryptography;
using System.Text;

namespace Claudit.Server.Access;

/// <summary>
/// The tokens a gateway accepts, kept as SHA-256 hashes only. A presented token is hashed and compared
/// with every known hash in constant time (no early exit), so neither a token nor how much of one
/// matched shows in the time an answer takes.
/// </summary>
public sealed class AccessTokens
{
    private readonly (byte[] Hash, AccessGrant Grant)[] _tokens;

    public AccessTokens(IEnumerable<(byte[] Sha256, AccessGrant Grant)> tokens)
    {
        _tokens = [.. tokens];
        if (_tokens.Any(t => t.Hash.Length != SHA256.HashSizeInBytes))
        {
            throw new ArgumentException("every token hash is a SHA-256 (32 bytes)", nameof(tokens));
        }
    }

    public static AccessTokens None { get; } = new([]);

    public int Count => _tokens.Length;

    public IEnumerable<AccessGrant> Grants => _tokens.Select(t => t.Grant);

    /// <summary><c>claudit serve --token</c>: one token that may do everything.</summary>
    public static AccessTokens SingleAdmin(string token) => new([(Hash(token), new AccessGrant("token", AccessRole.Admin))]);

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public AccessTokens With(AccessTokens more) => new(_tokens.Concat(more._tokens).Select(t => (t.Hash, t.Grant)));

    /// <summary>The grant of the token presented, or null when it is none of ours.</summary>
    public AccessGrant? Find(string presented)
    {
        if (presented.Length == 0)
        {
            return null;
        }

        var hash = Hash(presented);
        AccessGrant? found = null;
        foreach (var (known, grant) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, known))
            {
                found ??= grant;
            }
        }

        return found;
    }
}
