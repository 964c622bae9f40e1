using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Claudit.Server.Keys;

/// <summary>
/// Virtual keys as text: <c>sk-claudit-</c>, 16 hex digits of the key's id, <c>-</c>, and 32 random bytes
/// (base64url). The id finds the key without a scan; only an HMAC-SHA256 of the whole key under a random
/// per-key salt is kept, compared in constant time. The secret part carries 256 bits of entropy, so a
/// slow password KDF would add cost and no safety: nobody can guess it to test against a stolen hash.
/// </summary>
internal static class VirtualKeyFormat
{
    public const string Prefix = "sk-claudit-";
    public const string IdPrefix = "vk_";
    private const int IdHexLength = 16;
    private const int SecretBytes = 32;
    private const int SaltBytes = 16;
    private static readonly int KeyLength = Prefix.Length + IdHexLength + 1 + Base64Url.GetEncodedLength(SecretBytes);

    /// <summary>Whether a presented credential is meant as a virtual key (whatever its validity).</summary>
    public static bool IsVirtual(string credential) => credential.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>A new key: the text shown once, its id, and the salt and hash that are stored.</summary>
    public static (string Key, string Id, byte[] Salt, byte[] Hash) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdHexLength / 2));
        var key = Prefix + id + "-" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return (key, IdPrefix + id, salt, Hash(salt, key));
    }

    /// <summary>The id a well-formed key names (<c>vk_…</c>); null for anything else.</summary>
    public static string? IdOf(string key)
    {
        if (key.Length != KeyLength || !IsVirtual(key) || key[Prefix.Length + IdHexLength] != '-')
        {
            return null;
        }

        var hex = key.AsSpan(Prefix.Length, IdHexLength);
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return null;
            }
        }

        return string.Concat(IdPrefix, hex);
    }

    public static byte[] Hash(byte[] salt, string key) => HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(key));

    public static bool Verify(string key, byte[] salt, byte[] hash)
    {
        Span<byte> computed = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Span<byte> text = stackalloc byte[KeyLength];
        var length = Encoding.UTF8.GetBytes(key, text);
        HMACSHA256.HashData(salt, text[..length], computed);
        return CryptographicOperations.FixedTimeEquals(computed, hash);
    }
}
