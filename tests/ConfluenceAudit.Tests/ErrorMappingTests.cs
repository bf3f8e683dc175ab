using System.Management.Automation;
using System.Net;
using ConfluenceAudit.Connections;
using ConfluenceAudit.Http;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.PowerShell;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>Every HTTP outcome becomes one stable error id, kind and category, with the server's words and no HTML or secrets.</summary>
public class ErrorMappingTests
{
    private static async Task<ConfluenceApiException> FailAsync(Func<HttpResponseMessage> response, ConfluenceCredential? credential = null)
    {
        var handler = FakeHttpHandler.Always(response);
        using var client = TestClients.Create(handler, credential);
        var error = await Assert.ThrowsAsync<ConfluenceApiException>(() =>
            AuditPage.ReadAsync(client, TestClients.All(), 0, 10, NullOperationLog.Instance, CancellationToken.None));
        Assert.Single(handler.Requests);
        Assert.Equal("GET https://acme.atlassian.net/wiki/rest/api/audit?start=0&limit=10", error.RequestUri);
        TestSecrets.AssertNoSecret(error);
        return error;
    }

    [Theory]
    [InlineData(400, "ConfluenceBadRequest", "BadRequest")]
    [InlineData(401, "ConfluenceAuthenticationFailed", "Authentication")]
    [InlineData(403, "ConfluencePermissionDenied", "Permission")]
    [InlineData(404, "ConfluenceNotFound", "NotFound")]
    [InlineData(429, "ConfluenceRateLimited", "Throttled")]
    [InlineData(503, "ConfluenceUnavailable", "Unavailable")]
    [InlineData(500, "ConfluenceServerError", "Unavailable")]
    [InlineData(502, "ConfluenceServerError", "Unavailable")]
    [InlineData(504, "ConfluenceServerError", "Unavailable")]
    [InlineData(418, "ConfluenceRequestFailed", "Other")]
    [InlineData(409, "ConfluenceRequestFailed", "Other")]
    public async Task Status_Maps_To_Error_Id_And_Kind_And_Carries_The_Server_Message(int status, string errorId, string kind)
    {
        const string said = "Something specific the server said";
        var error = await FailAsync(() => Responses.Json($"{{\"statusCode\":{status},\"data\":{{\"authorized\":false}},\"message\":\"{said}\"}}", (HttpStatusCode)status));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(Enum.Parse<FailureKind>(kind), error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(said, error.ServerMessage);
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    public async Task A_Redirect_Is_Not_Followed_And_Names_Its_Target(int status)
    {
        const string location = "https://wiki.example.com/confluence/login.action?os_destination=%2Frest%2Fapi%2Faudit";
        var error = await FailAsync(() => Responses.Redirect((HttpStatusCode)status, location));

        Assert.Equal("ConfluenceRedirected", error.ErrorId);
        Assert.Equal(FailureKind.Authentication, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Contains(location, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Error_Messages_From_Gateways_Are_Joined()
    {
        var error = await FailAsync(() => Responses.Json("{\"errorMessages\":[\"first problem\",\"second problem\"]}", HttpStatusCode.BadRequest));

        Assert.Equal("first problem second problem", error.ServerMessage);
        Assert.Contains("first problem second problem", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Plain_Text_Error_Body_Is_Carried_Trimmed()
    {
        var error = await FailAsync(() => Responses.Text(HttpStatusCode.InternalServerError, "  search timed out\n", "text/plain"));

        Assert.Equal("search timed out", error.ServerMessage);
        Assert.Contains("search timed out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Huge_Plain_Text_Error_Body_Is_Cut_Short()
    {
        var error = await FailAsync(() => Responses.Text(HttpStatusCode.InternalServerError, new string('x', 100_000), "text/plain"));

        Assert.InRange(error.ServerMessage!.Length, 1, 4100);
        Assert.InRange(error.Message.Length, 1, 5000);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Html_Error_Bodies_Are_Not_Pasted_Into_Messages(int status)
    {
        var error = await FailAsync(() => Responses.Text((HttpStatusCode)status,
            "<!DOCTYPE html><html><head><title>Log in</title></head><body><form action=\"/dologin.action\">Please log in</form></body></html>", "text/html"));

        Assert.Null(error.ServerMessage);
        Assert.DoesNotContain("<", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Please log in", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_Empty_Error_Body_Gives_No_Server_Message()
    {
        var error = await FailAsync(() => Responses.Empty(HttpStatusCode.Forbidden));

        Assert.Equal("ConfluencePermissionDenied", error.ErrorId);
        Assert.Null(error.ServerMessage);
    }

    [Fact]
    public async Task A_200_With_Html_Is_An_Unexpected_Response()
    {
        var error = await FailAsync(() => Responses.Text(HttpStatusCode.OK, "<html><body>Log in to Confluence</body></html>", "text/html"));

        Assert.Equal("ConfluenceUnexpectedResponse", error.ErrorId);
        Assert.Equal(FailureKind.Authentication, error.Kind);
        Assert.Contains("text/html", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Log in to Confluence", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"results\":[")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"results\":\"nope\"}")]
    [InlineData("{\"results\":{}}")]
    [InlineData("{\"results\":[{\"creationDate\":\"yesterday\"}]}")]
    [InlineData("{\"results\":[{\"creationDate\":1.5}]}")]
    [InlineData("{\"results\":[{\"author\":\"Ada\"}]}")]
    [InlineData("{\"results\":[{\"sysAdmin\":\"false\"}]}")]
    [InlineData("{\"results\":[{\"changedValues\":{}}]}")]
    [InlineData("{\"results\":[],\"start\":\"zero\"}")]
    [InlineData("{\"start\":0,\"limit\":1000,\"size\":0}")]
    [InlineData("{\"results\":null}")]
    public async Task Unreadable_Pages_Are_Invalid_Responses_Not_Crashes(string body)
    {
        var error = await FailAsync(() => Responses.Json(body));

        Assert.Equal("ConfluenceInvalidResponse", error.ErrorId);
        Assert.Equal(FailureKind.InvalidResponse, error.Kind);
    }

    [Fact]
    public async Task A_Page_Without_Results_Says_So()
    {
        var error = await FailAsync(() => Responses.Json("{\"start\":0,\"limit\":1000,\"size\":0}"));

        Assert.Contains("results", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Failed_Connection_Is_ConfluenceConnectionFailed()
    {
        var handler = new FakeHttpHandler((HttpRequestMessage _) => throw new HttpRequestException("No such host is known. (acme.atlassian.net:443)"));
        using var client = TestClients.Create(handler);

        var error = await Assert.ThrowsAsync<ConfluenceApiException>(() =>
            AuditPage.ReadAsync(client, TestClients.All(), 0, 10, NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal("ConfluenceConnectionFailed", error.ErrorId);
        Assert.Equal(FailureKind.Connection, error.Kind);
        Assert.Contains("No such host is known", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Theory]
    [InlineData(400, "ConfluenceBadRequest", "BadRequest")]
    [InlineData(401, "ConfluenceAuthenticationFailed", "Authentication")]
    [InlineData(403, "ConfluencePermissionDenied", "Permission")]
    [InlineData(404, "ConfluenceNotFound", "NotFound")]
    [InlineData(429, "ConfluenceRateLimited", "Throttled")]
    [InlineData(503, "ConfluenceUnavailable", "Unavailable")]
    [InlineData(500, "ConfluenceServerError", "Unavailable")]
    [InlineData(599, "ConfluenceServerError", "Unavailable")]
    [InlineData(302, "ConfluenceRedirected", "Authentication")]
    [InlineData(308, "ConfluenceRedirected", "Authentication")]
    [InlineData(418, "ConfluenceRequestFailed", "Other")]
    public void HttpFailures_FromStatus(int status, string errorId, string kind)
    {
        var error = HttpFailures.FromStatus(status, null, "GET https://acme.atlassian.net/wiki/rest/api/audit");

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(Enum.Parse<FailureKind>(kind), error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Null(error.ServerMessage);
        Assert.DoesNotContain("The server said", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(' ', error.ErrorId);
    }

    [Theory]
    [InlineData("BadRequest", ErrorCategory.InvalidArgument)]
    [InlineData("Authentication", ErrorCategory.AuthenticationError)]
    [InlineData("Permission", ErrorCategory.PermissionDenied)]
    [InlineData("NotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("Throttled", ErrorCategory.LimitsExceeded)]
    [InlineData("Unavailable", ErrorCategory.ResourceUnavailable)]
    [InlineData("Timeout", ErrorCategory.OperationTimeout)]
    [InlineData("Connection", ErrorCategory.ConnectionError)]
    [InlineData("InvalidResponse", ErrorCategory.InvalidResult)]
    [InlineData("Other", ErrorCategory.NotSpecified)]
    public void CategoryOf_Maps_Each_Kind(string kind, ErrorCategory expected)
    {
        Assert.Equal(expected, ErrorRecords.CategoryOf(Enum.Parse<FailureKind>(kind)));
    }

    [Theory]
    [InlineData(400, ErrorCategory.InvalidArgument)]
    [InlineData(401, ErrorCategory.AuthenticationError)]
    [InlineData(403, ErrorCategory.PermissionDenied)]
    [InlineData(404, ErrorCategory.ObjectNotFound)]
    [InlineData(429, ErrorCategory.LimitsExceeded)]
    [InlineData(500, ErrorCategory.ResourceUnavailable)]
    [InlineData(502, ErrorCategory.ResourceUnavailable)]
    [InlineData(503, ErrorCategory.ResourceUnavailable)]
    public void Status_To_ErrorRecord_Category_And_Details(int status, ErrorCategory expected)
    {
        var exception = HttpFailures.FromStatus(status, "the server's words", "GET https://acme.atlassian.net/wiki/rest/api/audit");

        var record = ErrorRecords.FromApiException(exception, "target");

        Assert.Equal(expected, record.CategoryInfo.Category);
        Assert.Equal(exception.ErrorId, record.FullyQualifiedErrorId);
        var shown = Assert.IsType<ConfluenceApiException>(record.Exception);
        Assert.Equal(exception.StatusCode, shown.StatusCode);
        Assert.StartsWith(exception.Message, shown.Message, StringComparison.Ordinal);
        Assert.Contains("the server's words", record.ErrorDetails!.Message, StringComparison.Ordinal);
        if (status == 401)
        {
            // The core says what went wrong in the API's terms; the PowerShell layer adds which parameters to use.
            Assert.DoesNotContain("-Credential", exception.Message, StringComparison.Ordinal);
            Assert.Contains("-Credential", record.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
            Assert.EndsWith(record.ErrorDetails.RecommendedAction, shown.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Timeout_Kind_Becomes_OperationTimeout_Record()
    {
        var exception = HttpFailures.Timeout("GET https://acme.atlassian.net/wiki/rest/api/audit", TimeSpan.FromSeconds(100), new TaskCanceledException());

        Assert.Equal(ErrorCategory.OperationTimeout, ErrorRecords.FromApiException(exception, null).CategoryInfo.Category);
        Assert.Contains("100", exception.Message, StringComparison.Ordinal);
    }
}
