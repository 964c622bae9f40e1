using System.Globalization;
using System.Text;

namespace Claudit.Alerts.Rules;

/// <summary>Durations as the rules file writes them: <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>2d</c>, or joined (<c>1h30m</c>); <c>0</c> alone is zero.</summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s == "0")
        {
            return true;
        }

        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetterLower(s[i]))
            {
                i++;
            }

            var unit = s.AsSpan(unitStart, i - unitStart);
            double? ticks = unit switch
            {
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                "d" => TimeSpan.TicksPerDay,
                _ => null,
            };
            if (ticks is null)
            {
                return false;
            }

            duration += TimeSpan.FromTicks((long)(amount * ticks.Value));
        }

        return true;
    }

    /// <summary>The shortest text that reads back as <paramref name="duration"/>: <c>30s</c>, <c>5m</c>, <c>1h30m</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        var rest = duration;
        foreach (var (unit, size) in new[] { ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)), ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1)), ("ms", TimeSpan.FromMilliseconds(1)) })
        {
            var n = rest.Ticks / size.Ticks;
            if (n > 0)
            {
                text.Append(n.ToString(CultureInfo.InvariantCulture)).Append(unit);
                rest -= TimeSpan.FromTicks(n * size.Ticks);
            }
        }

        return text.Length == 0 ? "0s" : text.ToString();
    }
}
