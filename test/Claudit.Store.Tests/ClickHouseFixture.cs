using Claudit.Core.Records;
using Claudit.Store.ClickHouse;
using Claudit.Store.DuckDb;

namespace Claudit.Store.Tests;

/// <summary>
/// One real ClickHouse server for the ClickHouse test classes (starting one takes seconds); each test class
/// uses its own database. The parity records are loaded once, into DuckDB and ClickHouse, for every test that compares them.
/// </summary>
public sealed class ClickHouseFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly TempStore _dir = new();
    private ParityStores? _parity;

    public ClickHouseServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ClickHouseServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_parity is { } p)
        {
            await p.Duck.DisposeAsync();
            await p.Click.DisposeAsync();
        }

        await Server.DisposeAsync();
        _dir.Dispose();
        _loading.Dispose();
    }

    /// <summary>A store on a database of the shared server (a fresh name gives a fresh database).</summary>
    public Task<ClickHouseCallStore> OpenAsync(string database, string writer = "test-writer") =>
        ClickHouseCallStore.OpenAsync(ClickHouseLocation.Parse(Server.Url(database)), writer);

    /// <summary>The same 3,000 varied records in a DuckDB file and a ClickHouse database, appended in batches of 700.</summary>
    internal async Task<ParityStores> ParityAsync()
    {
        await _loading.WaitAsync();
        try
        {
            if (_parity is null)
            {
                var records = await TestRecords.MixAsync(3000, seed: 7);
                var duck = _dir.Open();
                var click = await OpenAsync("parity");
                foreach (var batch in records.Chunk(700))
                {
                    await duck.AppendAsync(batch);
                    await click.AppendAsync(batch);
                }

                _parity = new ParityStores(records, duck, click);
            }

            return _parity;
        }
        finally
        {
            _loading.Release();
        }
    }
}

internal sealed record ParityStores(List<CallRecord> Records, DuckDbCallStore Duck, ClickHouseCallStore Click);

[CollectionDefinition(Name)]
public sealed class ClickHouseCollection : ICollectionFixture<ClickHouseFixture>
{
    public const string Name = "ClickHouse";
}
