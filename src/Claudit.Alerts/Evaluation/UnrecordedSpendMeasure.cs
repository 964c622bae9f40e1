using System.Globalization;
using Claudit.Alerts.Rules;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// <c>unrecorded_spend</c>: the share of the last finished UTC day's billed cost that Claudit did not see, one
/// group labelled with the day (<c>day=2026-11-19</c>). No source (no <c>--admin-key-env</c>), a day not
/// reconciled yet or a day with nothing billed: no group, no alert.
/// </summary>
internal sealed class UnrecordedSpendMeasure(AlertRule rule, IUnrecordedSpendSource? source) : PulledMeasure(rule)
{
    public override string Label => "day";

    public override IEnumerable<(string Group, Reading Reading)> ReadGroups(DateTimeOffset now)
    {
        if (source?.Latest(now) is { Value: { } share } day)
        {
            yield return (day.Day.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), new Reading(share, Rule.Threshold, 0));
        }
    }
}
