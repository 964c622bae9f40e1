using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Claudit.Mock;

/// <summary>
/// Who sent a request, as the Admin usage report attributes it: the API key's id (a hash; the key itself is
/// never kept), the OAuth account, the workspace. Console (Workbench) usage has no key id.
/// </summary>
internal sealed record MockCaller(bool HasCredential, bool IsAdminKey, string? ApiKeyId, string? AccountId, string? WorkspaceId)
{
    public static MockCaller From(HttpRequest request)
    {
        var key = request.Headers["x-api-key"].ToString();
        var authorization = request.Headers.Authorization.ToString();
        var bearer = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : "";
        var console = request.Headers[MockApiKeys.ConsoleHeader].ToString() is "1" or "true";
        var hasKey = !string.IsNullOrWhiteSpace(key);
        var workspace = request.Headers[MockApiKeys.WorkspaceHeader].ToString();
        return new MockCaller(
            HasCredential: hasKey || bearer.Length > 0,
            IsAdminKey: hasKey && key.StartsWith(MockApiKeys.AdminKeyPrefix, StringComparison.Ordinal),
            ApiKeyId: hasKey && !console ? MockApiKeys.IdOf(key) : null,
            // OAuth usage is attributed to the account; a key-authenticated call has none.
            AccountId: !hasKey && bearer.Length > 0 && !console ? "user_01" + Digest(bearer) : null,
            WorkspaceId: string.IsNullOrWhiteSpace(workspace) ? null : workspace);
    }

    /// <summary>22 base62 characters of the SHA-256 of <paramref name="secret"/>: stable, and the secret is not recoverable.</summary>
    internal static string Digest(string secret)
    {
        const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(secret), hash);
        Span<char> chars = stackalloc char[22];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Base62[hash[i] % Base62.Length];
        }

        return new string(chars);
    }
}

/// <summary>How the mock tells keys apart, and the request headers that shape usage attribution.</summary>
public static class MockApiKeys
{
    /// <summary>Admin API keys (the only keys <c>/v1/organizations/*</c> accepts) start with this.</summary>
    public const string AdminKeyPrefix = "sk-ant-admin01-";

    /// <summary><c>x-mock-console: 1</c> marks a call as Console (Workbench) usage: the usage report shows no api key id for it.</summary>
    public const string ConsoleHeader = "x-mock-console";

    /// <summary>The workspace a call is attributed to; without it, the default workspace (<c>workspace_id: null</c>).</summary>
    public const string WorkspaceHeader = "anthropic-workspace-id";

    /// <summary>The <c>apikey_…</c> id the usage report shows for calls made with <paramref name="apiKey"/>.</summary>
    public static string IdOf(string apiKey) => "apikey_01" + MockCaller.Digest(apiKey);
}
