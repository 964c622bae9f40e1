using System.Text.Json.Serialization;

namespace Claudit.Server;

/// <summary>
/// What <c>/readyz</c> answers (docs/gateway.md): the journal side (records journaled, pending in memory,
/// dropped by a full queue, refused as unwritable, queued, what is wrong), the store side (records it
/// added, its lag behind the journal in records and bytes, whether it caught up since the start, journal
/// lines it skipped as dead letters, what is wrong), whether the upstream answers (<c>up</c>/<c>down</c>,
/// failures in a row) and the OTLP receiver's counters when it is on.
/// </summary>
internal sealed record ReadinessReport(string Status, long Journaled, long JournalPending, long JournalDropped, long JournalRefused, int Queued, string? JournalError,
    long Stored, long StoreLag, long StoreLagBytes, bool StoreCaughtUp, long StoreSkipped, string? StoreError, string Upstream, int UpstreamFailures, Otlp.OtlpReadiness? Otlp = null);

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
