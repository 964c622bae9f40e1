using System.Globalization;

namespace Claudit.Cli;

/// <summary>Reads <c>--since</c>/<c>--until</c>: an ISO 8601 date or time (UTC unless an offset is given), or an age such as <c>90m</c>, <c>24h</c>, <c>7d</c>.</summary>
internal static class TimeArgument
{
    public static DateTimeOffset? Parse(string? text, string option, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            TimeSpan? age = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                'w' => TimeSpan.FromDays(7 * amount),
                _ => null,
            };
            if (age is { } a)
            {
                return now - a;
            }
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        throw new CliException($"{option} '{text}' is neither an ISO 8601 date/time (2026-11-01, 2026-11-01T12:00:00Z) nor an age (90m, 24h, 7d).");
    }
}
