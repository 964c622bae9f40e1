using System.Collections.Concurrent;
using Claudit.Core.Records;
using Claudit.Instrumentation;

namespace Claudit.Testing;

/// <summary>A sink that keeps what it is given, for tests to read back.</summary>
public sealed class CollectingSink : IClauditSink
{
    private readonly ConcurrentQueue<CallRecord> _records = new();

    public IReadOnlyList<CallRecord> Records => [.. _records];

    public int Batches { get; private set; }

    public Task WriteAsync(IReadOnlyList<CallRecord> batch, CancellationToken cancellationToken)
    {
        Batches++;
        foreach (var record in batch)
        {
            _records.Enqueue(record);
        }

        return Task.CompletedTask;
    }

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits until <paramref name="count"/> records arrived (the recorder's loop is asynchronous).</summary>
    public async Task<IReadOnlyList<CallRecord>> WaitForAsync(int count, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (_records.Count < count && Environment.TickCount64 < deadline)
        {
            await Task.Delay(10);
        }

        var records = Records;
        return records.Count >= count ? records : throw new TimeoutException($"expected {count} records, got {records.Count}");
    }
}
