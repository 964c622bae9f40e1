using System.Text;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Journal.Tests;

/// <summary>ParallelJsonlScanner gives the same totals whatever the number of workers, over awkward files.</summary>
public class ParallelScannerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Totals_are_the_same_for_any_number_of_workers(int workers)
    {
        using var dir = new TempDirectory();
        var files = WriteFiles(dir, out var expected);

        var stats = new ReadStats();
        var states = await Scan(files, stats, workers);

        Assert.Equal(workers, states.Count);
        Assert.Equal(expected.Records, states.Sum(s => s.Records));
        Assert.Equal(expected.Input, states.Sum(s => s.Input));
        Assert.Equal(expected.Output, states.Sum(s => s.Output));
        Assert.True(expected.Ids.SetEquals(states.SelectMany(s => s.Ids)), "the records read are not the records written");
        Assert.Equal(expected.Records, stats.Records);
        Assert.Equal(2, stats.SkippedLines);
        Assert.Equal(files.Sum(f => new FileInfo(f).Length), stats.BytesRead);
        // Line numbers count across blocks: the second problem is deep in the second 1 MB block.
        Assert.Equal(
            [$"{files[0]}:2", $"{files[0]}:4000"],
            stats.FirstProblems.Select(p => p[..p.IndexOf(": ", StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Totals_match_a_sequential_read_of_the_same_files()
    {
        using var dir = new TempDirectory();
        var files = WriteFiles(dir, out _);

        var sequential = new Totals();
        var sequentialStats = new ReadStats();
        foreach (var file in files)
        {
            await foreach (var r in JsonlRecordReader.ReadFileAsync(file, sequentialStats))
            {
                sequential.Add(r);
            }
        }

        var stats = new ReadStats();
        var states = await Scan(files, stats, workers: 2);

        Assert.Equal(sequential.Records, states.Sum(s => s.Records));
        Assert.Equal(sequential.Input, states.Sum(s => s.Input));
        Assert.True(sequential.Ids.SetEquals(states.SelectMany(s => s.Ids)));
        Assert.Equal(sequentialStats.SkippedLines, stats.SkippedLines);
        Assert.Equal(sequentialStats.Records, stats.Records);
    }

    [Fact]
    public async Task A_line_longer_than_a_block_is_read_whole()
    {
        using var dir = new TempDirectory();
        var path = dir.File("long.jsonl");
        var message = new string('x', 3 * 1024 * 1024);
        var big = SampleRecords.Simple(7) with { Status = CallStatus.Error, Error = new CallError { Type = "api_error", Message = message } };
        await File.WriteAllTextAsync(path, SampleRecords.ToLine(SampleRecords.Simple(1)) + "\n" + SampleRecords.ToLine(big) + "\nbroken\n" + SampleRecords.ToLine(SampleRecords.Simple(2)));

        var stats = new ReadStats();
        var states = await Scan([path], stats, workers: 2);

        Assert.Equal(3, states.Sum(s => s.Records));
        Assert.Contains(states, s => s.MessageLengths.Contains(message.Length));
        Assert.Equal(1, stats.SkippedLines);
        Assert.StartsWith($"{path}:3: ", Assert.Single(stats.FirstProblems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_streams_that_are_not_files()
    {
        var text = string.Join("\n", Enumerable.Range(0, 10).Select(n => SampleRecords.ToLine(SampleRecords.Simple(n))));
        var stats = new ReadStats();

        var states = await ParallelJsonlScanner.ScanAsync<Totals>(
            [("stdin", () => new MemoryStream(Encoding.UTF8.GetBytes(text)))], () => new Totals(), static (t, r) => t.Add(r), stats, workers: 2);

        Assert.Equal(10, states.Sum(s => s.Records));
        Assert.Equal(Enumerable.Range(0, 10).Sum(n => 100L + n), states.Sum(s => s.Input));
    }

    [Fact]
    public async Task Read_options_reach_the_parser()
    {
        using var dir = new TempDirectory();
        var path = dir.File("full.jsonl");
        await File.WriteAllTextAsync(path, SampleRecords.ToLine(SampleRecords.Full()) + "\n");

        var states = await ParallelJsonlScanner.ScanAsync<List<CallRecord>>(
            [(path, () => JsonlFiles.OpenRead(path))], () => [], static (l, r) => l.Add(r), new ReadStats(),
            CallRecordReadOptions.ForReport(recordedCost: false), workers: 1);

        var record = Assert.Single(states.SelectMany(s => s));
        Assert.Null(record.RateLimits);
        Assert.Null(record.Cost);
        Assert.Equal(SampleRecords.Full().Usage, record.Usage);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_large_file_split_into_ranges_gives_the_same_totals_and_names_bad_lines_exactly(int workers)
    {
        // ~11 MB: large enough to be cut into ranges, one per worker, each starting after a line end.
        using var dir = new TempDirectory();
        var path = dir.File("big.jsonl");
        var expected = new Totals();
        var text = new StringBuilder();
        for (var n = 1; n <= 32_000; n++)
        {
            if (n == 25_000)
            {
                text.Append("{\"broken\":").Append('\n');
                continue;
            }

            var r = SampleRecords.Simple(n);
            expected.Add(r);
            text.Append(SampleRecords.ToLine(r)).Append('\n');
        }

        await File.WriteAllTextAsync(path, text.ToString());
        Assert.True(new FileInfo(path).Length > 8 << 20, "the file must be large enough to split");

        var stats = new ReadStats();
        var states = await Scan([path], stats, workers);

        Assert.Equal(expected.Records, states.Sum(s => s.Records));
        Assert.Equal(expected.Input, states.Sum(s => s.Input));
        Assert.Equal(expected.Records, states.SelectMany(s => s.Ids).Distinct().Count());
        Assert.True(states.Count(s => s.Records > 0) > 1, "more than one worker must have read a range");
        Assert.Equal(1, stats.SkippedLines);
        Assert.StartsWith($"{path}:25000: ", Assert.Single(stats.FirstProblems), StringComparison.Ordinal);
    }

    /// <summary>
    /// a.jsonl: 5,000 records (about 1.7 MB, so two blocks) with a corrupt line at 2 and at 4000;
    /// b.jsonl: CRLF lines and no newline at the end; c.jsonl: empty; d.jsonl: the full record, one line, no newline.
    /// </summary>
    private static string[] WriteFiles(TempDirectory dir, out Totals expected)
    {
        expected = new Totals();
        var a = new StringBuilder();
        for (var n = 0; n < 5000; n++)
        {
            if (n == 1)
            {
                a.Append("{\"id\":\"truncated").Append('\n');
                continue;
            }

            if (n == 3999)
            {
                a.Append("not json").Append('\n');
                continue;
            }

            var r = SampleRecords.Simple(n);
            expected.Add(r);
            a.Append(SampleRecords.ToLine(r)).Append('\n');
        }

        var b = new StringBuilder();
        for (var n = 10_000; n < 11_500; n++)
        {
            var r = SampleRecords.Simple(n);
            expected.Add(r);
            b.Append(SampleRecords.ToLine(r));
            if (n < 11_499)
            {
                b.Append("\r\n");
            }
        }

        expected.Add(SampleRecords.Full());
        string[] files = [dir.File("a.jsonl"), dir.File("b.jsonl"), dir.File("c.jsonl"), dir.File("d.jsonl")];
        File.WriteAllText(files[0], a.ToString());
        File.WriteAllText(files[1], b.ToString());
        File.WriteAllText(files[2], "");
        File.WriteAllText(files[3], SampleRecords.ToLine(SampleRecords.Full()));
        Assert.True(new FileInfo(files[0]).Length > 1 << 20, "a.jsonl must span two blocks");
        return files;
    }

    private static Task<IReadOnlyList<Totals>> Scan(string[] files, ReadStats stats, int workers) =>
        ParallelJsonlScanner.ScanAsync(
            files.Select(f => (f, (Func<Stream>)(() => JsonlFiles.OpenRead(f)))),
            () => new Totals(),
            static (t, r) => t.Add(r),
            stats,
            workers: workers);

    private sealed class Totals
    {
        public long Records { get; private set; }

        public long Input { get; private set; }

        public long Output { get; private set; }

        public HashSet<Guid> Ids { get; } = [];

        public List<int> MessageLengths { get; } = [];

        public void Add(CallRecord r)
        {
            Records++;
            Input += r.Usage?.InputTokens ?? 0;
            Output += r.Usage?.OutputTokens ?? 0;
            Assert.True(Ids.Add(r.Id), $"record {r.Id} was read twice");
            if (r.Error?.Message is { } m)
            {
                MessageLengths.Add(m.Length);
            }
        }
    }
}
