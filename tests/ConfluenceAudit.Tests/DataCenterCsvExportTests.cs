using System.Globalization;
using System.Net;
using System.Text;
using ConfluenceAudit.Export;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>
/// Data Center's CSV export, assembled from capped responses paged by offset: the whole file when the server behaves,
/// and an error, never a file that looks whole, when it ignores the offset, changes its columns or cuts a response off.
/// </summary>
public class DataCenterCsvExportTests
{
    private const string Header = "Timestamp,Author,Category,Action\r\n";
    private static readonly AuditQuery Window = TestClients.All().ToRange(DateTimeOffset.Parse("2026-03-02T12:00:00Z", CultureInfo.InvariantCulture));

    private static List<string> Rows(int count) =>
        Enumerable.Range(0, count).Select(i => $"2026-03-02T10:{i / 60:D2}:{i % 60:D2}Z,Ada Admin,Permissions,\"change {i}, with a comma\"\r\n").ToList();

    /// <summary>A server that caps each response at <paramref name="cap"/> rows; <paramref name="shape"/> may change an answer.</summary>
    private static FakeHttpHandler Server(List<string> rows, int cap, Func<int, int, string, string>? shape = null)
    {
        var served = 0;
        return new FakeHttpHandler(request =>
        {
            var offset = int.Parse(QueryString.Parse(request.RequestUri!)["offset"], CultureInfo.InvariantCulture);
            var body = Header + string.Concat(rows.Skip(offset).Take(cap));
            body = shape?.Invoke(served, offset, body) ?? body;
            served++;
            return Responses.Text(HttpStatusCode.OK, body, "text/csv");
        });
    }

    private static async Task<string> ExportAsync(FakeHttpHandler handler)
    {
        using var client = TestClients.Create(handler);
        using var export = new DataCenterCsvExport(client, Window, NullOperationLog.Instance);
        var file = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await export.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            file.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(file.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(25)]
    public async Task Capped_Responses_Make_One_File_With_Every_Row_Once(int total)
    {
        var rows = Rows(total);
        var handler = Server(rows, 10);

        var file = await ExportAsync(handler);

        Assert.Equal(Header + string.Concat(rows), file);
        Assert.Equal(handler.Requests.Count, handler.Requests.Select(r => r.Uri).Distinct().Count());
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 10)]
    [InlineData(3, 3)]
    [InlineData(25, 10)]
    public async Task Rows_The_Servers_Own_Read_Events_Push_Along_Are_Neither_Repeated_Nor_Taken_For_A_Stall(int total, int cap)
    {
        // Each read adds an event at the newest end of the window (the server's clock runs behind), pushing every row
        // along by one: a small window then comes back from its first row again, which is not a server ignoring the offset.
        var rows = Rows(total);
        var log = new List<string>(rows);
        var reads = 0;
        var handler = new FakeHttpHandler(request =>
        {
            var offset = int.Parse(QueryString.Parse(request.RequestUri!)["offset"], CultureInfo.InvariantCulture);
            var body = Header + string.Concat(log.Skip(offset).Take(cap));
            log.Insert(0, $"2026-03-02T11:59:59.{reads++:D3}Z,Ada Admin,Auditing,Audit Log search performed\r\n");
            return Responses.Text(HttpStatusCode.OK, body, "text/csv");
        });

        var file = await ExportAsync(handler);

        Assert.Equal(Header + string.Concat(rows), file);
    }

    [Fact]
    public async Task A_Server_That_Ignores_The_Offset_Ends_The_Export_Instead_Of_Cutting_It_Short()
    {
        // The server sends its first 10 rows whatever the offset: ending on "nothing new" would keep 10 of 25 rows.
        var handler = Server(Rows(25), 10, (_, _, _) => Header + string.Concat(Rows(10)));

        var error = await Assert.ThrowsAsync<ConfluenceApiException>(() => ExportAsync(handler));

        Assert.Equal("ConfluencePagingStalled", error.ErrorId);
        Assert.Equal(FailureKind.InvalidResponse, error.Kind);
        Assert.Contains("offset 9", error.Message, StringComparison.Ordinal);
        Assert.Contains("10 rows were written", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task A_Response_With_Other_Columns_Is_An_Invalid_Response()
    {
        var handler = Server(Rows(25), 10, (served, _, body) => served == 1 ? body.Replace("Action", "Summary", StringComparison.Ordinal) : body);

        var error = await Assert.ThrowsAsync<ConfluenceApiException>(() => ExportAsync(handler));

        Assert.Equal("ConfluenceInvalidResponse", error.ErrorId);
        Assert.Contains("header row differs", error.Message, StringComparison.Ordinal);
        Assert.Contains("offset=9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Response_Cut_Off_Inside_A_Quoted_Field_Is_An_Invalid_Response()
    {
        var handler = Server(Rows(25), 10, (served, _, body) => served == 2 ? body.Substring(0, body.LastIndexOf(", with", StringComparison.Ordinal)) : body);

        var error = await Assert.ThrowsAsync<ConfluenceApiException>(() => ExportAsync(handler));

        Assert.Equal("ConfluenceInvalidResponse", error.ErrorId);
        Assert.Contains("cut off", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Proxy_Error_Page_Is_An_Invalid_Response_And_A_Login_Page_An_Anonymous_Request()
    {
        var proxy = new FakeHttpHandler(_ => Responses.Text(HttpStatusCode.OK, "<html><body>502 Proxy error</body></html>", "text/html"));
        var login = new FakeHttpHandler(_ => Responses.Text(HttpStatusCode.OK, "<html><body><form action=\"dologin.action\">Log in</form></body></html>", "text/html"));

        var proxyError = await Assert.ThrowsAsync<ConfluenceApiException>(() => ExportAsync(proxy));
        var loginError = await Assert.ThrowsAsync<ConfluenceApiException>(() => ExportAsync(login));

        Assert.Equal("ConfluenceInvalidResponse", proxyError.ErrorId);
        Assert.Contains("/rest/auditing/1.0/events", proxyError.Message, StringComparison.Ordinal);
        Assert.Single(proxy.Requests);
        Assert.Equal("ConfluenceUnexpectedResponse", loginError.ErrorId);
        Assert.Equal(FailureKind.Authentication, loginError.Kind);
    }
}
