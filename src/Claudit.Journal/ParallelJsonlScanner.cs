using System.Buffers;
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
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        var filled = 0;
        long lines = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, filled).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }

            var read = await stream.ReadAtLeastAsync(buffer.AsMemory(filled), buffer.Length - filled, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            stats.AddBytes(read);
            progress?.Report(stats.BytesRead);
            filled += read;
            var end = read == 0 ? filled : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
            if (end == 0 && read != 0)
            {
                continue; // no complete line yet: the buffer grows
            }

            var next = ArrayPool<byte>.Shared.Rent(Math.Max(BlockSize, filled - end));
            buffer.AsSpan(end, filled - end).CopyTo(next);
            var firstLine = lines;
            lines += buffer.AsSpan(0, end).Count((byte)'\n');
            if (end > 0)
            {
                await writer.WriteAsync(new Block(buffer, end, name, firstLine), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            filled -= end;
            buffer = next;
            if (read == 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return;
            }
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
                JsonlBlockParser.Parse(block.Buffer.AsSpan(0, block.Length), block.Name, block.FirstLine, pool, options, stats, state, add);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(block.Buffer);
            }
        }
    }

    private readonly record struct Block(byte[] Buffer, int Length, string Name, long FirstLine);
}
