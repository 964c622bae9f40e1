using System.Text.Json.Serialization;

namespace Claudit.Server;

/// <summary>What <c>/readyz</c> answers.</summary>
internal sealed record ReadinessReport(string Status, long Journaled, long JournalDropped, long? Stored, long StoreDropped, int Queued, Otlp.OtlpReadiness? Otlp = null);

/// <summary>What <c>/api/ingest</c> answers: records taken, lines skipped and why (the first few).</summary>
internal sealed record IngestResult(int Accepted, long Rejected, string[] Problems);

internal sealed record IngestError(string Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReadinessReport))]
[JsonSerializable(typeof(IngestResult))]
[JsonSerializable(typeof(IngestError))]
[JsonSerializable(typeof(Batches.BatchesReport))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
