using System.Management.Automation;
using System.Net.Http.Headers;
using System.Net;
using ConfluenceAudit.Export;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>ExportDownload, the streaming core of Export-ConfluenceAudit, against a fake handler.</summary>
public sealed class ExportDownloadTests
{
    private static AuditQuery Range() => AuditQuery.Range(
        new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 2, 10, 15, 0, 125, TimeSpan.Zero), "space permission & more");

    private static async Task<byte[]> ReadAllAsync(ExportDownload download)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await download.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            copy.Write(buffer, 0, n);
        }

        return copy.ToArray();
    }

    [Theory]
    [InlineData(AuditExportFormat.Csv, "csv", "text/csv")]
    [InlineData(AuditExportFormat.Zip, "zip", "application/zip")]
    public async Task Sends_Format_Dates_As_Epoch_Milliseconds_And_Search(AuditExportFormat format, string sent, string accept)
    {
        var handler = ExportServer.Create();
        using var client = TestClients.Create(handler);

        using var download = await ExportDownload.OpenAsync(client, Range(), format, NullOperationLog.Instance, CancellationToken.None);
        var body = await ReadAllAsync(download);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("/wiki/rest/api/audit/export", request.Uri.AbsolutePath);
        Assert.Equal(sent, request.Query["format"]);
        Assert.Equal("1772323200000", request.Query["startDate"]);
        Assert.Equal("1772446500125", request.Query["endDate"]);
        Assert.Equal("space permission & more", request.Query["searchString"]);
        Assert.StartsWith(accept, request.Header("Accept"), StringComparison.Ordinal);
        Assert.Equal(format == AuditExportFormat.Zip ? ExportServer.Zip : ExportServer.Csv, body);
    }

    [Fact]
    public async Task Without_A_Range_Sends_Only_The_Format()
    {
        var handler = ExportServer.Create();
        using var client = TestClients.Create(handler);

        using var download = await ExportDownload.OpenAsync(client, TestClients.All(), AuditExportFormat.Csv, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(new[] { "format" }, Assert.Single(handler.Requests).Query.Keys);
    }

    [Fact]
    public async Task Reports_The_Announced_Length()
    {
        using var client = TestClients.Create(FakeHttpHandler.Always(() => ExportServer.Body(ExportServer.Csv, "text/csv")));

        using var download = await ExportDownload.OpenAsync(client, TestClients.All(), AuditExportFormat.Csv, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(ExportServer.Csv.Length, download.Length);
    }

    [Fact]
    public async Task A_Body_That_Breaks_Mid_Stream_Is_ConfluenceConnectionFailed()
    {
        using var client = TestClients.Create(FakeHttpHandler.Always(() => ExportServer.Broken(ExportServer.Csv.AsSpan(0, 5000).ToArray())));
        using var download = await ExportDownload.OpenAsync(client, TestClients.All(), AuditExportFormat.Csv, NullOperationLog.Instance, CancellationToken.None);

        var failure = await Assert.ThrowsAsync<ConfluenceApiException>(() => ReadAllAsync(download));

        Assert.Equal("ConfluenceConnectionFailed", failure.ErrorId);
        Assert.IsType<IOException>(failure.InnerException);
        TestSecrets.AssertNoSecret(failure);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/json")]
    public async Task A_Successful_Answer_That_Is_Not_The_Export_Is_ConfluenceUnexpectedResponse(string mediaType)
    {
        using var client = TestClients.Create(FakeHttpHandler.Always(() => Responses.Text(HttpStatusCode.OK, "<html><body>Log in</body></html>", mediaType)));

        var failure = await Assert.ThrowsAsync<ConfluenceApiException>(() =>
            ExportDownload.OpenAsync(client, TestClients.All(), AuditExportFormat.Csv, NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal("ConfluenceUnexpectedResponse", failure.ErrorId);
        Assert.Contains(mediaType, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forbidden_Is_ConfluencePermissionDenied()
    {
        using var client = TestClients.Create(FakeHttpHandler.Always(() => Responses.Json("{\"message\":\"Not an administrator\"}", HttpStatusCode.Forbidden)));

        var failure = await Assert.ThrowsAsync<ConfluenceApiException>(() =>
            ExportDownload.OpenAsync(client, TestClients.All(), AuditExportFormat.Csv, NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal("ConfluencePermissionDenied", failure.ErrorId);
        Assert.Equal(403, failure.StatusCode);
    }

    [Fact]
    public async Task Opening_Is_Retried_Like_Any_Get()
    {
        var handler = FakeHttpHandler.Script(
            () => Responses.Json("{\"message\":\"busy\"}", HttpStatusCode.ServiceUnavailable),
            () => ExportServer.Body(ExportServer.Csv, "text/csv"));
        var waits = new List<TimeSpan>();
        using var client = TestClients.Create(handler, retry: TestClients.InstantRetries(waits));

        using var download = await ExportDownload.OpenAsync(client, TestClients.All(), AuditExportFormat.Csv, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(2, handler.Requests.Count);
        Assert.Single(waits);
        Assert.Equal(ExportServer.Csv, await ReadAllAsync(download));
    }

    [Fact]
    public async Task A_Stalled_Body_Times_Out_Per_Read()
    {
        var stream = new StallingStream("\"Date\",\"Summary\"\r\n");
        try
        {
            using var client = TestClients.Create(FakeHttpHandler.Always(() => Responses.Stalling(stream, mediaType: "text/csv")), timeout: TimeSpan.FromMilliseconds(300));
            using var download = await ExportDownload.OpenAsync(client, TestClients.All(), AuditExportFormat.Csv, NullOperationLog.Instance, CancellationToken.None);

            var failure = await Assert.ThrowsAsync<ConfluenceApiException>(() => ReadAllAsync(download));

            Assert.Equal("ConfluenceTimeout", failure.ErrorId);
        }
        finally
        {
            stream.Release();
        }
    }
}
