using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Journal;
using Claudit.Server.Tests.Support;
using Claudit.Store;
using Claudit.Store.DuckDb;

namespace Claudit.Server.Tests;

/// <summary>
/// The store follows the journal from the position it keeps: it catches up with whatever the journal
/// holds beyond it, keeps lines that are not records out (as dead letters), and loses nothing while it
/// fails. Real journal files, a real DuckDB store.
/// </summary>
public sealed class StoreApplierTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("claudit-applier-").FullName;
    private DuckDbCallStore _store = null!;

    private string JournalDir => Path.Combine(_dataDir, "journal");

    private string JournalFile => Path.Combine(JournalDir, "calls-2026-11-20.jsonl");

    public Task InitializeAsync()
    {
        _store = DuckDbCallStore.Open(Path.Combine(_dataDir, DuckDbCallStore.FileName));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    private static CallRecord Record(int i) => new()
    {
        Id = Guid.Parse($"01a1f82f-0000-7000-8000-{i:x12}"),
        StartTime = Day.AddSeconds(i),
        ModelRequested = "claude-haiku-4-5",
        Usage = new TokenUsage { InputTokens = 10, OutputTokens = 5 },
        LatencyMs = 100,
        RequestId = $"req_{i}",
    };

    /// <summary>Writes records into the journal as the gateway does, on a day of its own.</summary>
    private void Journal(IEnumerable<CallRecord> records)
    {
        using var writer = new JsonlJournalWriter(new JsonlJournalOptions { Directory = JournalDir }, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Day));
        foreach (var record in records)
        {
            writer.Append(record);
        }
    }

    private StoreApplier Applier(ICallStore? store = null) =>
        new(store ?? _store, JournalDir, "calls", new DeadLetters(_dataDir, "store"), TimeProvider.System);

    private static async Task WithinAsync(Task task) => await task.WaitAsync(TimeSpan.FromSeconds(60));

    private string[] DeadLetters() =>
        Directory.Exists(Path.Combine(_dataDir, "dead-letter")) ? [.. Directory.GetFiles(Path.Combine(_dataDir, "dead-letter")).SelectMany(File.ReadAllLines)] : [];

    [Fact]
    public async Task On_start_the_store_catches_up_from_the_position_it_keeps()
    {
        var records = Enumerable.Range(0, 1_000).Select(Record).ToList();
        Journal(records);
        // The store took the first 300 before a crash: they and the position just past them, in one transaction.
        var lines = File.ReadAllBytes(JournalFile);
        var afterLine300 = Enumerable.Range(0, lines.Length).Where(i => lines[i] == '\n').ElementAt(299) + 1;
        await _store.AppendAsync(records.Take(300).ToList(), new JournalPosition("calls-2026-11-20.jsonl", afterLine300));

        await using var applier = Applier();
        await WithinAsync(applier.CaughtUp);

        Assert.Equal(1_000, await _store.CountAsync());
        Assert.Equal(700, applier.Applied); // from the position on, not from the start
        Assert.Equal(new FileInfo(JournalFile).Length, (await _store.GetJournalPositionsAsync())["calls-2026-11-20.jsonl"]);
        Assert.Equal(new StoreLag(0, 0, false), applier.MeasureLag());
    }

    [Fact]
    public async Task A_store_without_positions_reads_the_whole_journal_once_and_doubles_nothing()
    {
        // A store of an older Claudit (no positions yet) that already holds some records.
        var records = Enumerable.Range(0, 500).Select(Record).ToList();
        Journal(records);
        await _store.AppendAsync(records.Take(200).ToList());

        await using var applier = Applier();
        await WithinAsync(applier.CaughtUp);

        Assert.Equal(500, await _store.CountAsync());
        Assert.Equal(300, applier.Applied);
    }

    [Fact]
    public async Task Lines_that_are_not_valid_records_are_dead_lettered_and_keep_no_record_out()
    {
        // Issue 11, item 3: one record with cost 1e15 once failed a whole store batch.
        Journal(Enumerable.Range(0, 200).Select(Record));
        var poisoned = Record(500) with { Cost = new CallCost { Priced = true, TotalUsd = 1e15m } };
        var absurd = Record(501) with { Usage = new TokenUsage { InputTokens = long.MaxValue } };
        File.AppendAllText(JournalFile, "{\"id\": \"cut by a cra\n" + Line(poisoned) + "\n" + Line(absurd) + "\nnot json at all\n");
        Journal(Enumerable.Range(200, 223).Select(Record));

        await using var applier = Applier();
        await WithinAsync(applier.CaughtUp);

        Assert.Equal(423, await _store.CountAsync());
        Assert.Null(await _store.GetCallAsync(poisoned.Id));
        Assert.Equal(4, applier.Skipped);
        var letters = DeadLetters().Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(4, letters.Length);
        Assert.Contains(letters, l => l.GetProperty("reason").GetString()!.StartsWith("cost.total_usd:", StringComparison.Ordinal));
        Assert.Contains(letters, l => l.GetProperty("reason").GetString()!.StartsWith("usage.input_tokens:", StringComparison.Ordinal));
        Assert.All(letters, l => Assert.StartsWith("calls-2026-11-20.jsonl at byte ", l.GetProperty("where").GetString(), StringComparison.Ordinal));
        Assert.Equal(new FileInfo(JournalFile).Length, applier.Positions["calls-2026-11-20.jsonl"]);
    }

    [Fact]
    public async Task A_line_still_being_written_waits_until_it_ends()
    {
        Journal(Enumerable.Range(0, 10).Select(Record));
        var half = Line(Record(10));
        File.AppendAllText(JournalFile, half[..(half.Length / 2)]);

        await using var applier = Applier();
        await WithinAsync(applier.CaughtUp);
        Assert.Equal(10, await _store.CountAsync());

        File.AppendAllText(JournalFile, half[(half.Length / 2)..] + "\n");
        applier.Wake();
        for (var i = 0; i < 300 && await _store.CountAsync() < 11; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(11, await _store.CountAsync());
        Assert.Empty(DeadLetters());
    }

    [Fact]
    public async Task While_the_store_fails_nothing_moves_and_once_it_works_it_catches_up()
    {
        Journal(Enumerable.Range(0, 300).Select(Record));
        var faulty = new FaultyStore(_store) { Down = true };

        await using var applier = Applier(faulty);
        for (var i = 0; i < 300 && applier.Healthy; i++)
        {
            await Task.Delay(10);
        }

        Assert.False(applier.Healthy);
        Assert.False(applier.IsCaughtUp);
        Assert.Equal(0, await _store.CountAsync());
        Assert.Equal(300, applier.MeasureLag().Records);

        faulty.Down = false;
        await WithinAsync(applier.CaughtUp);

        Assert.True(applier.Healthy, applier.Problem);
        Assert.Equal(300, await _store.CountAsync());
        Assert.Empty(DeadLetters());
    }

    [Fact]
    public async Task A_record_the_store_refuses_is_found_and_the_rest_of_its_batch_is_stored()
    {
        Journal(Enumerable.Range(0, 1_000).Select(Record));
        var refused = Record(617).Id;
        var faulty = new FaultyStore(_store) { Refuses = r => r.Id == refused };

        await using var applier = Applier(faulty);
        await WithinAsync(applier.CaughtUp);

        Assert.Equal(999, await _store.CountAsync());
        Assert.Null(await _store.GetCallAsync(refused));
        var letter = JsonDocument.Parse(Assert.Single(DeadLetters())).RootElement;
        Assert.Contains(refused.ToString(), letter.GetProperty("where").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("the store refused it: ", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private static string Line(CallRecord record) => RecordLines.Of(record);
}
