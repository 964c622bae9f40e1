using System.Threading.Channels;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Journal;

/// <summary>
/// Folds JSONL files into per-thread states using every core: one reader cuts the stream into
/// line-aligned blocks, workers parse and fold them (UTF-8 straight from the block, no strings per
/// line). Memory is bounded by the block size times the queue depth, whatever the file size.
/// </summary>
public static class ParallelJsonlScanner
{
    private const int BlockSize = 1 << 20;

    /// <summary>
    /// Reads every stream in turn and returns the workers' states, to be merged by the caller.
    /// <paramref name="progress"/> gets the bytes read so far.
    /// </summary>
    public static async Task<IReadOnlyList<TState>> ScanAsync<TState>(
        IEnumerable<(string Name, Func<Stream> Open)> inputs,
        Func<TState> createState,
        Action<TState, CallRecord> add,
        ReadStats stats,
        CallRecordReadOptions? readOptions = null,
        int? workers = null,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var workerCount = Math.Max(1, workers ?? Environment.ProcessorCount);
        var blocks = Channel.CreateBounded<Block>(new BoundedChannelOptions(workerCount * 2) { SingleWriter = true });
        var states = new TState[workerCount];
        var tasks = new Task[workerCount];
        for (var i = 0; i < workerCount; i++)
        {
            var index = i;
            states[i] = createState();
            tasks[i] = Task.Run(() => WorkAsync(blocks.Reader, states[index], add, readOptions ?? CallRecordReadOptions.Full, stats, cancellationToken), cancellationToken);
        }

        try
        {
            foreach (var (name, open) in inputs)
            {
                await using var stream = open();
                await ProduceAsync(stream, name, blocks.Writer, stats, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            blocks.Writer.TryComplete();
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return states;
    }

    private static async Task ProduceAsync(Stream stream, string name, ChannelWriter<Block> writer, ReadStats stats,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var reader = new LineBlockReader(stream, stats, BlockSize);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } block)
        {
            progress?.Report(stats.BytesRead);
            await writer.WriteAsync(new Block(block, name), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WorkAsync<TState>(ChannelReader<Block> reader, TState state, Action<TState, CallRecord> add,
        CallRecordReadOptions options, ReadStats stats, CancellationToken cancellationToken)
    {
        var pool = new Utf8StringPool();
        await foreach (var block in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                JsonlBlockParser.Parse(block.Lines.Span, block.Name, block.Lines.FirstLine, pool, options, stats, state, add);
            }
            finally
            {
                block.Lines.Return();
            }
        }
    }

    private readonly record struct Block(LineBlock Lines, string Name);
}
