using System.Text.RegularExpressions;

namespace Claudit.Core.Records;

/// <summary>
/// Removes credentials from text that may be stored (error messages, upstream bodies): Anthropic keys
/// (<c>sk-ant-…</c>), bearer tokens and <c>x-api-key</c> echoes. API keys are never written anywhere.
/// </summary>
internal static partial class SecretScrubber
{
    public const string Redacted = "[REDACTED]";

    public static string? Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text) || !MayHoldSecret(text))
        {
            return text;
        }

        return Secrets().Replace(text, m => m.Groups["prefix"].Success ? m.Groups["prefix"].Value + Redacted : Redacted);
    }

    private static bool MayHoldSecret(string text) =>
        text.Contains("sk-", StringComparison.Ordinal)
        || text.Contains("earer", StringComparison.Ordinal)
        || text.Contains("api-key", StringComparison.OrdinalIgnoreCase)
        || text.Contains("api_key", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"sk-ant-[A-Za-z0-9_\-]{8,}|sk-[A-Za-z0-9_\-]{20,}|(?<prefix>[Bb]earer\s+)[A-Za-z0-9_\-\.=+/]{8,}|(?<prefix>(?:x-)?api[-_]key[""']?\s*[:=]\s*[""']?)[A-Za-z0-9_\-\.]{8,}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Secrets();
}
