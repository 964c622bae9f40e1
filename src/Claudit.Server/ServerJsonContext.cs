using System.Text.Json.Serialization;

namespace Claudit.Server;

/// <summary>What <c>/readyz</c> answers.</summary>
internal sealed record ReadinessReport(string Status, long Journaled, long JournalDropped, long? Stored, long StoreDropped, int Queued)
{
    /// <summary>Seconds the oldest record not yet in the store has waited (0: caught up).</summary>
    public double StoreLagSeconds { get; init; }

    public int AlertsFiring { get; init; }

    public long AlertNotificationsSent { get; init; }

    /// <summary>Alert notifications given up on after their retries (or dropped): a receiver is down or refuses them.</summary>
    public long AlertNotificationFailures { get; init; }

    public long AlertRecordsDropped { get; init; }
}

/// <summary>What <c>/api/ingest</c> answers: records taken, lines skipped and why (the first few).</summary>
internal sealed record IngestResult(int Accepted, long Rejected, string[] Problems);

internal sealed record IngestError(string Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReadinessReport))]
[JsonSerializable(typeof(IngestResult))]
[JsonSerializable(typeof(IngestError))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
