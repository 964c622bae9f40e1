using System.Text.Json.Serialization;

namespace Claudit.Server;

/// <summary>What <c>/readyz</c> answers.</summary>
internal sealed record ReadinessReport(string Status, long Journaled, long JournalDropped, long? Stored, long StoreDropped, int Queued);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReadinessReport))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
