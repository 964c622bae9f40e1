using System.Text.RegularExpressions;

namespace Claudit.Core.Records;

/// <summary>
/// Redacts personal data and credentials from prompt and output text before it is stored (content
/// capture is opt-in): e-mail addresses, phone numbers, payment card numbers (Luhn-checked, so order
/// numbers survive) and API-key-like strings, on top of <see cref="SecretScrubber"/>'s Anthropic keys
/// and bearer tokens. A pattern match is replaced by a marker naming what was there.
/// </summary>
public static partial class ContentRedactor
{
    public const string Email = "[EMAIL]";
    public const string Phone = "[PHONE]";
    public const string Card = "[CARD]";

    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = SecretScrubber.Scrub(text)!;
        text = ApiKeys().Replace(text, SecretScrubber.Redacted);
        text = Emails().Replace(text, Email);
        text = Cards().Replace(text, m => Luhn(m.Value) ? Card : m.Value);
        return Phones().Replace(text, m => Digits(m.Value) is >= 8 and <= 15 ? Phone : m.Value);
    }

    /// <summary>The content with every message's text and the output redacted: what may be stored.</summary>
    internal static CallContent Redact(CallContent content) => content with
    {
        Messages = [.. content.Messages.Select(m => m with { Text = Redact(m.Text) ?? "" })],
        Output = Redact(content.Output),
    };

    private static int Digits(string text)
    {
        var n = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>The payment-card checksum over the digits of <paramref name="candidate"/>.</summary>
    private static bool Luhn(string candidate)
    {
        int sum = 0, count = 0;
        for (var i = candidate.Length - 1; i >= 0; i--)
        {
            var c = candidate[i];
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            var d = c - '0';
            if (count++ % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return count is >= 13 and <= 19 && sum % 10 == 0;
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Emails();

    [GeneratedRegex(@"(?<!\d)(?:\d[ \-]?){12,18}\d(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Cards();

    // Groups of digits with the usual separators, an optional +country code and (area code); a match
    // counts as a phone number only with 8–15 digits in all, so years, amounts and versions are left alone.
    [GeneratedRegex(@"(?<![\w+]|\d[.,])(?:\+\d{1,3}[ .\-]?)?(?:\(\d{1,4}\)[ .\-]?)?\d{2,4}(?:[ .\-]\d{2,4}){1,4}(?!\w|[.,]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Phones();

    // Common credential shapes: sk-/pk-/rk- keys, AWS access keys, GitHub and Slack tokens, JWTs.
    [GeneratedRegex(@"\b(?:(?:sk|pk|rk)[-_](?:live|test|proj)?[-_]?[A-Za-z0-9]{16,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abprs]-[A-Za-z0-9\-]{10,}|eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,})", RegexOptions.CultureInvariant)]
    private static partial Regex ApiKeys();
}
