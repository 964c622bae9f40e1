namespace Claudit.Server.Dashboard;

/// <summary>What <c>/api/budget</c> answers: spend per UTC day against the daily budget <c>claudit serve</c> was given (null when none).</summary>
internal sealed record BudgetReport(decimal? DailyBudgetUsd, BudgetDay[] Days);
