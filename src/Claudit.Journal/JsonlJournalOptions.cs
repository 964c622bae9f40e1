using Claudit.Core.Records;

namespace Claudit.Journal;

public sealed record JsonlJournalOptions
{
    /// <summary>Where the daily files go: <c>calls-YYYY-MM-DD.jsonl</c>.</summary>
    public required string Directory { get; init; }

    public string FilePrefix { get; init; } = "calls";

    /// <summary>
    /// Records are buffered in memory and committed (written, and made durable when <see cref="FlushToDisk"/>)
    /// at least this often: the most a crash can lose. <see cref="TimeSpan.Zero"/> commits only when asked
    /// (<see cref="JsonlJournalWriter.Flush"/>), e.g. after every batch.
    /// </summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A buffer this large is written at once, whatever the interval (without waiting for the disk).</summary>
    public int FlushBytes { get; init; } = 256 * 1024;

    /// <summary>Each commit on the interval (or asked for) waits for the disk (fsync), so an OS crash or power loss loses no more than a crash of the process.</summary>
    public bool FlushToDisk { get; init; }

    /// <summary>A record whose line would be longer than this is refused: no reader takes a longer line.</summary>
    public int MaxRecordBytes { get; init; } = RecordValidator.MaxLineBytes;

    /// <summary>
    /// While commits fail (a full disk), records wait in memory up to this many bytes; past it a record is
    /// refused rather than grow the process without bound.
    /// </summary>
    public long MaxBufferedBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>The clock of the commit interval, when it is not the writer's (whose clock names the day files): a durability bound is kept in real time.</summary>
    public TimeProvider? CommitClock { get; init; }

    /// <summary>Called after each commit that wrote records (off the appending thread's lock): a reader of the files may look again.</summary>
    public Action? Committed { get; init; }
}
