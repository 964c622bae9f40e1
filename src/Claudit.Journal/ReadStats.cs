namespace Claudit.Journal;

/// <summary>What a read got through: records, and lines skipped because they were corrupt or truncated.</summary>
public sealed class ReadStats
{
    private long _records;
    private long _skipped;
    private long _bytes;

    public long Records => Interlocked.Read(ref _records);

    public long SkippedLines => Interlocked.Read(ref _skipped);

    public long BytesRead => Interlocked.Read(ref _bytes);

    /// <summary>The first few reasons lines were skipped, with their file and line number.</summary>
    public IReadOnlyList<string> FirstProblems => _problems;

    private readonly List<string> _problems = [];

    internal void AddRecords(long n) => Interlocked.Add(ref _records, n);

    internal void AddBytes(long n) => Interlocked.Add(ref _bytes, n);

    internal void AddSkipped(string where, string? why)
    {
        Interlocked.Increment(ref _skipped);
        lock (_problems)
        {
            if (_problems.Count < 5)
            {
                _problems.Add($"{where}: {why}");
            }
        }
    }
}
