using System.Text.Json;
using System.Text.Json.Serialization;

namespace Claudit.Core.Reporting;

/// <summary>The report's JSON form: snake_case, source-generated (no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(Report))]
public sealed partial class ReportJsonContext : JsonSerializerContext
{
    public static string Serialize(Report report) => JsonSerializer.Serialize(report, Default.Report);
}
