using Claudit.Core.Records;
using Claudit.Journal;

namespace Claudit.Instrumentation.Implementation;

/// <summary>Appends records to Claudit's JSONL journal (daily files, the format <c>claudit report</c> reads).</summary>
internal sealed class JsonlSink(JsonlJournalWriter journal) : IClauditSink, IAsyncDisposable, IDisposable
{
    /// <summary>
    /// A directory gets <c>calls-YYYY-MM-DD.jsonl</c>; a path ending in <c>.jsonl</c> names the
    /// directory and the prefix (<c>logs/app.jsonl</c> → <c>logs/app-YYYY-MM-DD.jsonl</c>): the
    /// journal rotates daily either way.
    /// </summary>
    public static JsonlJournalOptions OptionsFor(string path) =>
        path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
            ? new JsonlJournalOptions { Directory = Path.GetDirectoryName(Path.GetFullPath(path))!, FilePrefix = Path.GetFileNameWithoutExtension(path) }
            : new JsonlJournalOptions { Directory = path };

    public JsonlJournalWriter Journal => journal;

    public Task WriteAsync(IReadOnlyList<CallRecord> batch, CancellationToken cancellationToken)
    {
        foreach (var record in batch)
        {
            journal.Append(record);
        }

        return Task.CompletedTask;
    }

    public Task FlushAsync(CancellationToken cancellationToken) => journal.FlushAsync();

    public ValueTask DisposeAsync() => journal.DisposeAsync();

    public void Dispose() => journal.Dispose();
}
