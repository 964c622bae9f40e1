namespace Claudit.Journal;

public sealed record JsonlJournalOptions
{
    /// <summary>Where the daily files go: <c>calls-YYYY-MM-DD.jsonl</c>.</summary>
    public required string Directory { get; init; }

    public string FilePrefix { get; init; } = "calls";

    /// <summary>Records are buffered in memory and written at least this often.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A buffer this large is written at once, whatever the interval.</summary>
    public int FlushBytes { get; init; } = 256 * 1024;
}
