using System.Text;
using Claudit.Core.Records;

namespace Claudit.Journal.Tests;

/// <summary>
/// Reading input from others line by line, each line with its fate: a line longer than the cap is
/// refused without being held (however it arrives), and every line after it is read as before.
/// </summary>
public class EntryReaderTests
{
    private static async Task<List<JsonlEntry>> ReadAsync(Stream stream)
    {
        var entries = new List<JsonlEntry>();
        await foreach (var entry in JsonlEntryReader.ReadAsync(stream, new ReadStats()))
        {
            entries.Add(entry);
        }

        return entries;
    }

    [Fact]
    public async Task Each_line_comes_with_its_number_end_offset_and_record_or_problem()
    {
        var first = SampleRecords.ToLine(SampleRecords.Simple(1));
        var text = first + "\n\n{\"id\": \"cut\n" + SampleRecords.ToLine(SampleRecords.Simple(2)) + "\n" + SampleRecords.ToLine(SampleRecords.Simple(3));

        var entries = await ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)));

        Assert.Equal([1L, 3, 4, 5], entries.Select(e => e.Line));
        Assert.Equal(SampleRecords.Simple(1).Id, entries[0].Record!.Id);
        Assert.Equal(first.Length + 1, entries[0].EndOffset);
        Assert.Null(entries[1].Record);
        Assert.NotNull(entries[1].Problem);
        Assert.Equal("{\"id\": \"cut", Encoding.UTF8.GetString(entries[1].Excerpt.Span));
        Assert.True(entries[2].Terminated);
        Assert.False(entries[3].Terminated, "the last line has no newline: a writer may still be writing it");
        Assert.Equal(text.Length, entries[3].EndOffset);
    }

    [Fact]
    public async Task A_64_MB_line_is_refused_without_being_held_and_the_lines_after_it_are_read()
    {
        var before = SampleRecords.ToLine(SampleRecords.Simple(1)) + "\n";
        var after = "\n" + SampleRecords.ToLine(SampleRecords.Simple(2)) + "\n";
        const long huge = 64L << 20;

        var entries = await ReadAsync(new GeneratedStream(Encoding.UTF8.GetBytes(before + "{\"model_requested\":\""), huge, Encoding.UTF8.GetBytes("\"}" + after)));

        Assert.Equal(3, entries.Count);
        var refused = entries[1];
        Assert.Equal(2, refused.Line);
        Assert.Null(refused.Record);
        Assert.Equal($"the line is {huge + 22} bytes long; at most {RecordValidator.MaxLineBytes} are taken", refused.Problem);
        Assert.Equal(16 * 1024, refused.Excerpt.Length);
        Assert.Equal(SampleRecords.Simple(2).Id, entries[2].Record!.Id);
        Assert.Equal(3, entries[2].Line);
        Assert.Equal(before.Length + huge + 22 + after.Length, entries[2].EndOffset);
    }

    /// <summary>A head, <c>length</c> bytes of <c>a</c>, and a tail, produced as read: nothing like the whole is ever in memory.</summary>
    private sealed class GeneratedStream(byte[] head, long length, byte[] tail) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => head.Length + length + tail.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var written = 0;
            while (written < buffer.Length && _position < Length)
            {
                int n;
                if (_position < head.Length || _position >= head.Length + length)
                {
                    var (source, at) = _position < head.Length ? (head, (int)_position) : (tail, (int)(_position - head.Length - length));
                    n = Math.Min(buffer.Length - written, source.Length - at);
                    source.AsSpan(at, n).CopyTo(buffer[written..]);
                }
                else
                {
                    n = (int)Math.Min(buffer.Length - written, head.Length + length - _position);
                    buffer.Slice(written, n).Fill((byte)'a');
                }

                written += n;
                _position += n;
            }

            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
