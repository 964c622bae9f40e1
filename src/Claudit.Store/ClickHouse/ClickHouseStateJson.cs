using System.Text.Json.Serialization;
using Claudit.Store.Alerting;
using Claudit.Store.Keys;

namespace Claudit.Store.ClickHouse;

/// <summary>The documents of the <c>state</c> table: what the DuckDB engine keeps in its alerts, virtual_keys, batches and reconciliations tables.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredAlert))]
[JsonSerializable(typeof(StoredVirtualKey))]
[JsonSerializable(typeof(BatchEntry))]
[JsonSerializable(typeof(StoredReconcileRow))]
internal sealed partial class ClickHouseStateJson : JsonSerializerContext
{
}
