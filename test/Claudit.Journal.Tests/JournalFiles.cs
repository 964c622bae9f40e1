using System.Text;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Journal.Tests;

/// <summary>Reads journal files back for assertions, independently of the code under test where it matters.</summary>
internal static class JournalFiles
{
    /// <summary>The file's lines, without the final empty piece after a trailing newline.</summary>
    public static string[] Lines(string path)
    {
        var text = ReadShared(path);
        var lines = text.Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    public static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static CallRecord Parse(string line)
    {
        Assert.True(CallRecordJsonReader.TryRead(Encoding.UTF8.GetBytes(line), out var record, out var error), $"not a record ({error}): {line}");
        return record!;
    }

    public static string DayFile(string directory, DateTimeOffset day, string prefix = "calls") =>
        Path.Combine(directory, $"{prefix}-{day.UtcDateTime:yyyy-MM-dd}.jsonl");

    public static async Task<List<CallRecord>> ReadAllAsync(string path, ReadStats stats)
    {
        var records = new List<CallRecord>();
        await foreach (var r in JsonlRecordReader.ReadFileAsync(path, stats))
        {
            records.Add(r);
        }

        return records;
    }
}
