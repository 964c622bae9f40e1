using System.Text.Json.Serialization;
using Claudit.Server.Budgets;
using Claudit.Store.ReadModel;

namespace Claudit.Server.Dashboard;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Overview))]
[JsonSerializable(typeof(TimeSeries))]
[JsonSerializable(typeof(SessionSummary[]))]
[JsonSerializable(typeof(SessionDetail))]
[JsonSerializable(typeof(CallListItem[]))]
[JsonSerializable(typeof(BreakdownRow[]))]
[JsonSerializable(typeof(Quality))]
[JsonSerializable(typeof(BudgetReport))]
[JsonSerializable(typeof(SessionCostDistribution))]
[JsonSerializable(typeof(BudgetsReport))]
[JsonSerializable(typeof(ErrorGroup[]))]
[JsonSerializable(typeof(GatewayHealth))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
