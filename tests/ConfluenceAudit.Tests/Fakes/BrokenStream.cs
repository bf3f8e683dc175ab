using System.Management.Automation;
using System.Net.Http.Headers;
using System.Net;
using System.Text;
using ConfluenceAudit.Export;
using ConfluenceAudit.Http;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests.Fakes;

/// <summary>A response body that sends <c>prefix</c> bytes and then fails the way a dropped connection does.</summary>
internal sealed class BrokenStream : Stream
{
    private readonly byte[] prefix;
    private int position;

    public BrokenStream(byte[] prefix)
    {
        this.prefix = prefix;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (position >= prefix.Length)
        {
            throw new IOException("The response ended prematurely. (ResponseEnded)");
        }

        // Small chunks, as a chunked response arrives.
        var n = Math.Min(Math.Min(count, 1000), prefix.Length - position);
        Array.Copy(prefix, position, buffer, offset, n);
        position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var array = new byte[buffer.Length];
        var n = Read(array, 0, array.Length);
        array.AsMemory(0, n).CopyTo(buffer);
        return ValueTask.FromResult(n);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
