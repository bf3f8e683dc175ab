namespace ConfluenceAudit.Tests.Fakes;

/// <summary>
/// A response body that sends a prefix and then stalls. With <c>honourToken</c> a pending read ends when its
/// token is cancelled (what .NET's own streams do); without, it ends only when the stream is disposed (what
/// .NET Framework's network stream does) or when the test calls <see cref="Release"/>.
/// </summary>
internal sealed class StallingStream : Stream
{
    private readonly byte[] prefix;
    private readonly bool honourToken;
    private readonly TaskCompletionSource<int> gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int position;

    public StallingStream(string prefix = "", bool honourToken = true)
    {
        this.prefix = System.Text.Encoding.UTF8.GetBytes(prefix);
        this.honourToken = honourToken;
    }

    public bool Disposed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Lets any pending read finish (end of stream), so no test leaves a task hanging.</summary>
    public void Release() => gate.TrySetResult(0);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position < prefix.Length)
        {
            var count = Math.Min(buffer.Length, prefix.Length - position);
            prefix.AsMemory(position, count).CopyTo(buffer);
            position += count;
            return count;
        }

        return honourToken ? await gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false) : await gate.Task.ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        gate.TrySetException(new ObjectDisposedException(nameof(StallingStream)));
        base.Dispose(disposing);
    }
}
