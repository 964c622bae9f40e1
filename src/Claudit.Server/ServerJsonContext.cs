using System.Text.Json.Serialization;

namespace Claudit.Server;

/// <summary>
/// What <c>/readyz</c> answers (docs/gateway.md): the journal side (records journaled, pending in memory,
/// dropped by a full queue, refused as unwritable, queued, what is wrong), the store side (records it
/// added, its lag behind the journal in records and bytes, whether it caught up since the start, journal
/// lines it skipped as dead letters, what is wrong), whether the upstream answers (<c>up</c>/<c>down</c>,
/// failures in a row), the OTLP receiver's counters when it is on, and the alerts' (firing, notifications
/// sent and failed, records the evaluator dropped).
/// </summary>
internal sealed record ReadinessReport(string Status, long Journaled, long JournalPending, long JournalDropped, long JournalRefused, int Queued, string? JournalError,
    long Stored, long StoreLag, long StoreLagBytes, bool StoreCaughtUp, long StoreSkipped, string? StoreError, string Upstream, int UpstreamFailures, Otlp.OtlpReadiness? Otlp = null)
{
    /// <summary>At most how long a journaled record has waited for the store (0: the store holds the whole journal).</summary>
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

/// <summary>What <c>/api/ingest</c> answers (400) when a line was bad: the first problem (line and field), counts, and the first few problems.</summary>
internal sealed record IngestRejection(string Error, int Accepted, long Rejected, string[] Problems);

/// <summary>What <c>/api/whoami</c> answers: the token's name and role, its tenants, and whether a login session (rather than a header) carries it.</summary>
internal sealed record WhoAmI(string Name, string Role, string[]? Tenants, string? Tenant, bool Session, bool LoginRequired);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReadinessReport))]
[JsonSerializable(typeof(IngestResult))]
[JsonSerializable(typeof(IngestError))]
[JsonSerializable(typeof(Batches.BatchesReport))]
[JsonSerializable(typeof(IngestRejection))]
[JsonSerializable(typeof(WhoAmI))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
