using System.Net;
using System.Text;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>Server data is untrusted: an answer of absurd size is refused with a clear error, never read into memory whole.</summary>
public class OversizedResponseTests
{
    /// <summary>A JSON page that never ends: {"results":[{...},{...},...</summary>
    private sealed class EndlessPageStream : Stream
    {
        private static readonly byte[] Head = Encoding.UTF8.GetBytes("{\"results\":[");
        private static readonly byte[] Item = Encoding.UTF8.GetBytes("{\"summary\":\"" + new string('x', 200) + "\",\"creationDate\":1},");
        private long position;

        public long BytesServed => position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var source = position < Head.Length ? Head : Item;
            var start = position < Head.Length ? (int)position : (int)((position - Head.Length) % Item.Length);
            var n = Math.Min(count, source.Length - start);
            Array.Copy(source, start, buffer, offset, n);
            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task A_Page_Larger_Than_The_Limit_Is_Refused_Without_Reading_It_All()
    {
        var body = new EndlessPageStream();
        var handler = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(body) { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") } },
        });
        using var client = TestClients.Create(handler);
        client.MaxJsonBytes = 1024 * 1024;

        var failure = await Assert.ThrowsAsync<ConfluenceApiException>(() => AuditPage.ReadAsync(client, TestClients.All(), 0, 1000, NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal("ConfluenceInvalidResponse", failure.ErrorId);
        Assert.Contains("larger than 1 MB", failure.Message, StringComparison.Ordinal);
        Assert.True(body.BytesServed < 2 * 1024 * 1024, $"{body.BytesServed} bytes were read");
    }

    [Fact]
    public async Task A_Huge_Error_Body_Is_Read_Only_As_Far_As_A_Message_Needs()
    {
        var body = new EndlessPageStream();
        var handler = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError)
        {
            Content = new StreamContent(body) { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain") } },
        });
        using var client = TestClients.Create(handler);

        var failure = await Assert.ThrowsAsync<ConfluenceApiException>(() => AuditPage.ReadAsync(client, TestClients.All(), 0, 1000, NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal("ConfluenceServerError", failure.ErrorId);
        Assert.True(body.BytesServed <= 128 * 1024, $"{body.BytesServed} bytes of an error body were read");
        Assert.True(failure.Message.Length < 10_000, "the message carries the whole body");
    }
}
