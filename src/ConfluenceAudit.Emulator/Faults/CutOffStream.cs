namespace ConfluenceAudit.Emulator.Faults;

/// <summary>
/// The response body stream of a 'drop' fault: passes on about the first half of the body (by Content-Length,
/// else 256 bytes) and swallows the rest, so the middleware can flush what went out and abort the connection.
/// </summary>
internal sealed class CutOffStream(Stream inner, HttpResponse response) : Stream
{
    private const int WithoutLength = 256;
    private long _allowed = -1;
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
        // Nothing is flushed on the handler's behalf: the middleware flushes once, right before the abort.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_allowed < 0)
        {
            _allowed = response.ContentLength is long length and > 1 ? length / 2 : WithoutLength;
        }

        long room = _allowed - _written;
        if (room <= 0)
        {
            return;
        }

        ReadOnlyMemory<byte> part = buffer.Length <= room ? buffer : buffer[..(int)room];
        await inner.WriteAsync(part, cancellationToken).ConfigureAwait(false);
        _written += part.Length;
    }
}
