namespace Claudit.Mock;

/// <summary>The five request counts of a batch; all but <c>processing</c> stay zero until the whole batch has ended.</summary>
internal readonly record struct BatchCounts(int Processing, int Succeeded, int Errored, int Canceled, int Expired);

/// <summary>A batch as one answer shows it, taken under the store's lock so it can be written without it.</summary>
internal sealed record BatchSnapshot(
    string Id, string Status, BatchCounts Counts, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? EndedAt,
    DateTimeOffset? CancelInitiatedAt, IReadOnlyList<(string CustomId, BatchOutcome Outcome)>? Results)
{
    public static BatchSnapshot Of(MockBatch batch, DateTimeOffset now)
    {
        var ended = batch.HasEnded(now);
        var counts = new BatchCounts(batch.Entries.Count, 0, 0, 0, 0);
        if (ended)
        {
            // "Requests start as processing and move to one of the other statuses only once processing of the entire batch ends."
            var byType = batch.Entries.GroupBy(e => e.Outcome!.Type).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            counts = new BatchCounts(0, byType.GetValueOrDefault("succeeded"), byType.GetValueOrDefault("errored"),
                byType.GetValueOrDefault("canceled"), byType.GetValueOrDefault("expired"));
        }

        return new BatchSnapshot(batch.Id, batch.Status(now), counts, batch.CreatedAt, batch.ExpiresAt, ended ? batch.EndsAt : null,
            batch.CancelInitiatedAt, ended ? [.. batch.Entries.Select(e => (e.CustomId, e.Outcome!))] : null);
    }
}
