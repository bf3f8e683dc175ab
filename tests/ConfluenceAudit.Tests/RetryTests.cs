using System.Net;
using ConfluenceAudit.Http;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>How status mapping meets the retry policy: retried failures keep their error id; waits are clamped; nothing really sleeps.</summary>
public class RetryTests
{
    private static HttpResponseMessage Throttled(string? retryAfter)
    {
        var response = Responses.Json("{\"message\":\"Rate limit exceeded\"}", HttpStatusCode.TooManyRequests);
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return response;
    }

    [Fact]
    public async Task Throttled_Then_Ok_Returns_The_Page()
    {
        var waits = new List<TimeSpan>();
        var handler = FakeHttpHandler.Script(() => Throttled("2"), () => Responses.Json(Responses.Page(new[] { Responses.Record("a") })));
        using var client = TestClients.Create(handler, retry: TestClients.InstantRetries(waits));

        var page = await AuditPage.ReadAsync(client, TestClients.All(), 0, 10, NullOperationLog.Instance, CancellationToken.None);

        Assert.Single(page.Records);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(new[] { TimeSpan.FromSeconds(2) }, waits);
        Assert.Equal(handler.Requests[0].Uri, handler.Requests[1].Uri);
    }

    [Fact]
    public async Task Exhausted_Retries_Keep_The_Error_Id_And_Clamp_A_Huge_Retry_After()
    {
        var waits = new List<TimeSpan>();
        var handler = FakeHttpHandler.Always(() => Throttled("9223372036854775807"));
        using var client = TestClients.Create(handler, retry: TestClients.InstantRetries(waits, count: 2));

        var error = await Assert.ThrowsAsync<ConfluenceApiException>(() =>
            AuditPage.ReadAsync(client, TestClients.All(), 0, 10, NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal("ConfluenceRateLimited", error.ErrorId);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(3, error.Attempts);
        Assert.Equal("Rate limit exceeded", error.ServerMessage);
        Assert.Equal(2, waits.Count);
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.Zero, TimeSpan.FromSeconds(RetryPolicy.DefaultMaximumWaitSec)));
        TestSecrets.AssertNoSecret(error);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(500)]
    public async Task Failures_That_Another_Try_Cannot_Fix_Are_Not_Retried(int status)
    {
        var waits = new List<TimeSpan>();
        var handler = FakeHttpHandler.Always(() => Responses.Json("{\"message\":\"no\"}", (HttpStatusCode)status));
        using var client = TestClients.Create(handler, retry: TestClients.InstantRetries(waits));

        await Assert.ThrowsAsync<ConfluenceApiException>(() =>
            AuditPage.ReadAsync(client, TestClients.All(), 0, 10, NullOperationLog.Instance, CancellationToken.None));

        Assert.Single(handler.Requests);
        Assert.Empty(waits);
    }

    [Fact]
    public async Task Cancelling_During_A_Retry_Wait_Ends_At_Once()
    {
        var handler = FakeHttpHandler.Always(() => Throttled("30"));
        using var client = TestClients.Create(handler, retry: new RetryPolicy(maximumRetryCount: 4));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        var error = await Record.ExceptionAsync(() =>
            AuditPage.ReadAsync(client, TestClients.All(), 0, 10, NullOperationLog.Instance, cancel.Token).WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Single(handler.Requests);
    }
}
