using System.Globalization;
using System.Text.Json;

namespace Claudit.Server.Access;

/// <summary>
/// <c>claudit serve --tokens FILE</c>: the gateway's tokens, each with a name, a role and optionally
/// tenants (docs/gateway.md#access-tokens):
/// <code>{"tokens":[{"name":"ops","token_sha256":"…","role":"admin"},
///             {"name":"acme-dash","token_sha256":"…","role":"read","tenants":["acme"]},
///             {"name":"app-1","token_sha256":"…","role":"ingest","tenant":"acme"}]}</code>
/// A token is given by its SHA-256 (hex); a plain <c>token</c> is accepted for convenience, hashed on
/// load and reported in <see cref="Warnings"/>. Anything else is refused with one line naming the entry and field.
/// </summary>
public sealed class AccessTokenFile
{
    /// <summary>As short as <c>--token</c> may be.</summary>
    public const int MinPlainTokenLength = 16;

    private static readonly HashSet<string> EntryFields = new(StringComparer.Ordinal) { "name", "token_sha256", "token", "role", "tenants", "tenant" };

    private AccessTokenFile(AccessTokens tokens, IReadOnlyList<string> warnings)
    {
        Tokens = tokens;
        Warnings = warnings;
    }

    public AccessTokens Tokens { get; }

    /// <summary>What deserves a word at start (plain-text tokens).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public static AccessTokenFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new AccessTokenFileException($"cannot read it: {ex.Message}", ex);
        }

        return Parse(text);
    }

    public static AccessTokenFile Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new AccessTokenFileException($"not valid JSON (line {ex.LineNumber + 1}): {ex.Message.Split(" Path:", 2)[0]}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("tokens", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new AccessTokenFileException("it must be an object with a \"tokens\" array: {\"tokens\":[{\"name\":…,\"token_sha256\":…,\"role\":…}]}");
            }

            if (root.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n != "tokens") is { } extra)
            {
                throw new AccessTokenFileException($"unknown field '{extra}' (only \"tokens\")");
            }

            var tokens = new List<(byte[], AccessGrant)>();
            var warnings = new List<string>();
            var names = new Dictionary<string, int>(StringComparer.Ordinal);
            var index = 0;
            foreach (var entry in list.EnumerateArray())
            {
                var (hash, grant, plain) = Entry(entry, index);
                if (!names.TryAdd(grant.Name, index))
                {
                    throw new AccessTokenFileException($"tokens[{index}]: the name '{grant.Name}' is already used by tokens[{names[grant.Name]}]");
                }

                if (tokens.FindIndex(t => t.Item1.AsSpan().SequenceEqual(hash)) is var same and >= 0)
                {
                    throw new AccessTokenFileException($"tokens[{index}] ({grant.Name}): the same token as '{tokens[same].Item2.Name}'");
                }

                if (plain)
                {
                    warnings.Add($"token '{grant.Name}' is written in plain text: store its SHA-256 as \"token_sha256\" instead (printf %s TOKEN | sha256sum)");
                }

                tokens.Add((hash, grant));
                index++;
            }

            if (tokens.Count == 0)
            {
                throw new AccessTokenFileException("\"tokens\" is empty: a gateway with a token file needs at least one token");
            }

            return new AccessTokenFile(new AccessTokens(tokens), warnings);
        }
    }

    private static (byte[] Hash, AccessGrant Grant, bool Plain) Entry(JsonElement entry, int index)
    {
        var at = $"tokens[{index}]";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new AccessTokenFileException($"{at} must be an object");
        }

        if (entry.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !EntryFields.Contains(n)) is { } unknown)
        {
            throw new AccessTokenFileException($"{at}: unknown field '{unknown}' (name, token_sha256, token, role, tenants, tenant)");
        }

        var name = Text(entry, "name", at) ?? throw new AccessTokenFileException($"{at}: \"name\" is missing");
        at = $"{at} ({name})";
        var roleText = Text(entry, "role", at) ?? throw new AccessTokenFileException($"{at}: \"role\" is missing (read, ingest or admin)");
        var role = roleText switch
        {
            "read" => AccessRole.Read,
            "ingest" => AccessRole.Ingest,
            "admin" => AccessRole.Admin,
            _ => throw new AccessTokenFileException($"{at}: role must be read, ingest or admin, not '{roleText}'"),
        };

        var sha = Text(entry, "token_sha256", at);
        var plain = Text(entry, "token", at);
        byte[] hash;
        if (sha is not null && plain is not null || sha is null && plain is null)
        {
            throw new AccessTokenFileException($"{at}: give exactly one of \"token_sha256\" (hex) and \"token\" (plain text)");
        }
        else if (sha is not null)
        {
            if (sha.Length != 64 || !sha.All(char.IsAsciiHexDigit))
            {
                throw new AccessTokenFileException($"{at}: token_sha256 must be 64 hex digits (printf %s TOKEN | sha256sum), not '{sha}'");
            }

            hash = Convert.FromHexString(sha);
        }
        else
        {
            if (plain!.Length < MinPlainTokenLength)
            {
                throw new AccessTokenFileException($"{at}: token must be at least {MinPlainTokenLength.ToString(CultureInfo.InvariantCulture)} characters");
            }

            hash = AccessTokens.Hash(plain);
        }

        IReadOnlySet<string>? tenants = null;
        if (entry.TryGetProperty("tenants", out var tenantList))
        {
            if (role != AccessRole.Read)
            {
                throw new AccessTokenFileException($"{at}: \"tenants\" is for read tokens (which tenants it sees); an ingest token pins one with \"tenant\"");
            }

            if (tenantList.ValueKind != JsonValueKind.Array || tenantList.GetArrayLength() == 0
                || tenantList.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String || t.GetString()!.Length == 0))
            {
                throw new AccessTokenFileException($"{at}: tenants must be a non-empty array of tenant names");
            }

            tenants = tenantList.EnumerateArray().Select(t => t.GetString()!).ToHashSet(StringComparer.Ordinal);
        }

        var tenant = Text(entry, "tenant", at);
        if (tenant is not null && role != AccessRole.Ingest)
        {
            throw new AccessTokenFileException($"{at}: \"tenant\" is for ingest tokens (the tenant their calls are recorded under); a read token lists \"tenants\"");
        }

        return (hash, new AccessGrant(name, role) { Tenants = tenants, Tenant = tenant }, plain is not null);
    }

    private static string? Text(JsonElement entry, string field, string at)
    {
        if (!entry.TryGetProperty(field, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            throw new AccessTokenFileException($"{at}: {field} must be a non-empty string");
        }

        return value.GetString();
    }
}
