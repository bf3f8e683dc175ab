using System.Management.Automation;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ConfluenceAudit.Http;
using ConfluenceAudit.Serialization;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>New-ConfluenceAuditRecord when the POST fails: never retried, and the error says whether the record was created.</summary>
public sealed class RecordCreationFailureTests : IDisposable
{
    private readonly PowerShellHost host = new();

    public void Dispose() => host.Dispose();

    private (ScriptResult Result, FakeHttpHandler Handler) Run(string script, FakeHttpHandler? handler = null, RetryPolicy? retry = null) =>
        RecordCreationServer.Run(host, script, handler, retry);

    [Fact]
    public void Bad_Request_Says_The_Record_Was_Not_Created_With_The_Server_Message()
    {
        var handler = FakeHttpHandler.Always(() => Responses.Json("{\"statusCode\":400,\"message\":\"remoteAddress is required\"}", HttpStatusCode.BadRequest));
        var waits = new List<TimeSpan>();

        var (result, _) = Run("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 -Summary x; 'after'", handler, TestClients.InstantRetries(waits));

        Assert.Null(result.Terminating);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ConfluenceBadRequest", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("remoteAddress is required", error.ErrorDetails!.Message, StringComparison.Ordinal);
        Assert.Contains("was not created", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("may have been created", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
        Assert.Equal(new object[] { "after" }, result.Output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public void A_Dropped_Response_Is_Not_Retried_And_Says_The_Record_May_Have_Been_Created()
    {
        var handler = new FakeHttpHandler(_ => throw new HttpRequestException("The response ended prematurely.", new IOException("The response ended prematurely.")));
        var waits = new List<TimeSpan>();

        var (result, _) = Run("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 -Summary 'once only'", handler, TestClients.InstantRetries(waits));

        Assert.Single(handler.Requests);
        Assert.Empty(waits);
        var error = result.Terminating ?? Assert.Single(result.Errors);
        Assert.StartsWith("ConfluenceConnectionFailed", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("may have been created", error.ErrorDetails!.Message, StringComparison.Ordinal);
        Assert.Contains("Get-ConfluenceAuditRecord", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void A_Body_Cut_Off_Mid_Json_Says_The_Record_May_Have_Been_Created()
    {
        var handler = FakeHttpHandler.Always(() => Responses.Json("{\"remoteAddress\":\"10.0.0.1\",\"summ"));
        var waits = new List<TimeSpan>();

        var (result, _) = Run("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1", handler, TestClients.InstantRetries(waits));

        Assert.Single(handler.Requests);
        var error = result.Terminating ?? Assert.Single(result.Errors);
        Assert.Contains("may have been created", error.ErrorDetails!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_Unavailable_Is_Not_Retried_For_A_Post()
    {
        var handler = FakeHttpHandler.Always(() =>
        {
            var response = Responses.Json("{\"message\":\"Down for maintenance\"}", HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            return response;
        });
        var waits = new List<TimeSpan>();

        var (result, _) = Run("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1", handler, TestClients.InstantRetries(waits));

        Assert.Single(handler.Requests);
        Assert.Empty(waits);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ConfluenceUnavailable", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("was not created", error.ErrorDetails!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Refused_Connection_Says_The_Record_Was_Not_Created()
    {
        var handler = new FakeHttpHandler(_ => throw new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)));

        var (result, _) = Run("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1", handler);

        var error = result.Terminating ?? Assert.Single(result.Errors);
        Assert.StartsWith("ConfluenceConnectionFailed", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("was not created", error.ErrorDetails!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("may have been created", error.ErrorDetails.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forbidden_Stops_The_Pipeline_After_One_Post()
    {
        var handler = FakeHttpHandler.Always(() => Responses.Json("{\"message\":\"Not an administrator\"}", HttpStatusCode.Forbidden));

        var (result, _) = Run(
            "[pscustomobject]@{ RemoteAddress = '10.0.0.1' }, [pscustomobject]@{ RemoteAddress = '10.0.0.2' } | New-ConfluenceAuditRecord -Connection $c", handler);

        Assert.StartsWith("ConfluencePermissionDenied", result.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("was not created", result.Terminating!.ErrorDetails!.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }
}
