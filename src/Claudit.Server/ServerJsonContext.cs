using System.Text.Json.Serialization;

namespace Claudit.Server;

/// <summary>What <c>/readyz</c> answers: the record queue's counts, and whether the upstream answers (<c>up</c>/<c>down</c>, failures in a row).</summary>
internal sealed record ReadinessReport(string Status, long Journaled, long JournalDropped, long? Stored, long StoreDropped, int Queued, string Upstream, int UpstreamFailures);

/// <summary>What <c>/api/ingest</c> answers: records taken, lines skipped and why (the first few).</summary>
internal sealed record IngestResult(int Accepted, long Rejected, string[] Problems);

internal sealed record IngestError(string Error);

/// <summary>What <c>/api/whoami</c> answers: the token's name and role, its tenants, and whether a login session (rather than a header) carries it.</summary>
internal sealed record WhoAmI(string Name, string Role, string[]? Tenants, string? Tenant, bool Session, bool LoginRequired);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReadinessReport))]
[JsonSerializable(typeof(IngestResult))]
[JsonSerializable(typeof(IngestError))]
[JsonSerializable(typeof(WhoAmI))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
