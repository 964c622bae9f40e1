using Claudit.Core.Records;

namespace Claudit.Server.Otlp;

/// <summary>
/// The bounds a record made from a span must keep before it is accepted: the one place OTLP ingest
/// validates records (to be replaced by the record validation of /api/ingest when both share one). A
/// span outside them is rejected and named in the OTLP partial-success answer.
/// </summary>
internal static class IngestBounds
{
    /// <summary>No call reads or writes this many tokens in one class: a larger count is a broken exporter.</summary>
    public const long MaxTokens = 100_000_000;

    /// <summary>No call lasts a day.</summary>
    public const double MaxLatencyMs = 24 * 60 * 60 * 1000.0;

    /// <summary>The reason the record is out of bounds, or null when it is within them.</summary>
    public static string? Problem(CallRecord r, DateTimeOffset now)
    {
        if (r.StartTime < new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero) || r.StartTime > now.AddDays(1))
        {
            return $"start time {r.StartTime:O} is not a time this call could have run";
        }

        if (!double.IsFinite(r.LatencyMs) || r.LatencyMs < 0 || r.LatencyMs > MaxLatencyMs)
        {
            return $"latency {r.LatencyMs} ms is out of range";
        }

        if (r.Usage is { } u && new[] { u.InputTokens, u.OutputTokens, u.CacheCreationInputTokens, u.CacheReadInputTokens }.Any(t => t is < 0 or > MaxTokens))
        {
            return $"a token count is outside 0..{MaxTokens}";
        }

        return r.ModelRequested?.Length > 256 || r.ModelUsed?.Length > 256 ? "a model id longer than 256 characters" : null;
    }
}
