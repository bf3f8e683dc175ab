using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ConfluenceAudit.Http;

/// <summary>
/// A response body read only up to a limit: a server that sends a page of absurd size (by mistake or on purpose)
/// gets a clear error instead of filling this machine's memory.
/// </summary>
internal sealed class BoundedReadStream : Stream
{
    private readonly Stream inner;
    private readonly long limit;
    private readonly string request;
    private long read;

    public BoundedReadStream(Stream inner, long limit, string request)
    {
        this.inner = inner;
        this.limit = limit;
        this.request = request;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int bytes)
    {
        read += bytes;
        if (read > limit)
        {
            throw HttpFailures.InvalidResponse(request, $"the answer is larger than {limit / (1024 * 1024)} MB, far more than a page of audit records can be; the module stopped reading it.");
        }

        return bytes;
    }
}
