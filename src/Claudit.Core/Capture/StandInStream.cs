namespace Claudit.Core.Capture;

/// <summary>
/// The base of the streams that stand in for a body so a capture can see it pass — the gateway's
/// request tee and response observer, the handler's read observer and body copy: one-way, not
/// seekable, of no known length. Only the direction a stand-in supports is overridden.
/// </summary>
internal abstract class StandInStream(bool readable) : Stream
{
    public override bool CanRead => readable;

    public override bool CanWrite => !readable;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
