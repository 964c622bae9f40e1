namespace Claudit.Alerts.Evaluation;

/// <summary>
/// A metric's value for one group at one evaluation, the threshold it is compared with (a rule's own,
/// or one derived from a baseline: 3x the 24 h average, 60% of the 7-day hit rate) and the calls behind it.
/// </summary>
internal readonly record struct Reading(double Value, double Threshold, long Calls);
