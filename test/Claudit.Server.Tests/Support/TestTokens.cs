using System.Security.Cryptography;
using System.Text;
using Claudit.Server.Access;

namespace Claudit.Server.Tests.Support;

/// <summary>
/// A token file as an operator writes one (issue 11, item 7): hashes only, but for one plain token,
/// and each role: admin, an unscoped and a tenant-scoped reader, a pinned and an unpinned sender.
/// </summary>
internal static class TestTokens
{
    public const string Admin = "ops-admin-token-0123456789";
    public const string Reader = "all-reader-token-0123456789";
    public const string AcmeReader = "acme-dash-token-0123456789";
    public const string AcmeSender = "app-1-acme-token-0123456789";
    public const string Sender = "app-2-any-token-0123456789";

    public static string Json => $$"""
        {"tokens": [
          {"name": "ops", "token_sha256": "{{Sha(Admin)}}", "role": "admin"},
          {"name": "all-dash", "token_sha256": "{{Sha(Reader)}}", "role": "read"},
          {"name": "acme-dash", "token_sha256": "{{Sha(AcmeReader)}}", "role": "read", "tenants": ["acme"]},
          {"name": "app-1", "token_sha256": "{{Sha(AcmeSender)}}", "role": "ingest", "tenant": "acme"},
          {"name": "app-2", "token": "{{Sender}}", "role": "ingest"}
        ]}
        """;

    public static AccessTokenFile File => AccessTokenFile.Parse(Json);

    public static string Sha(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
