using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Claudit.Core.Capture;

/// <summary>
/// Tells callers apart without keeping their key: a 64-bit hash of the <c>x-api-key</c> (else the
/// <c>Authorization</c>) header, for retry linking only. It lives in memory and is never written.
/// </summary>
public static class CredentialFingerprint
{
    /// <summary>The fingerprint of a call's credential; the same value for calls without one.</summary>
    public static ulong Of(string? apiKey, string? authorization)
    {
        var key = string.IsNullOrEmpty(apiKey) ? authorization ?? "" : apiKey;
        return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(key.AsSpan()));
    }
}
