using System.Diagnostics;
using System.Net;
using ConfluenceAudit.Http;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>
/// The caller's cancellation ends a request quickly as OperationCanceledException; the client's own timeout,
/// covering the body too, ends it as ConfluenceTimeout. Each test is bounded, so a hang fails instead of blocking the run.
/// </summary>
public class CancellationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private static Task<AuditPage> GetPageAsync(AuditHttpClient client, CancellationToken token) =>
        AuditPage.ReadAsync(client, TestClients.All(), 0, 10, NullOperationLog.Instance, token);

    /// <summary>Runs the request, cancels the caller's token after 100 ms, and returns what ended it and how long that took.</summary>
    private static async Task<(Exception? Error, TimeSpan Elapsed)> CancelAfterAsync(AuditHttpClient client, TimeSpan after)
    {
        using var cancel = new CancellationTokenSource();
        var stopwatch = Stopwatch.StartNew();
        var task = GetPageAsync(client, cancel.Token);
        cancel.CancelAfter(after);
        var error = await Record.ExceptionAsync(() => task.WaitAsync(Bound));
        return (error, stopwatch.Elapsed);
    }

    private static async Task<(Exception? Error, TimeSpan Elapsed)> RunAsync(AuditHttpClient client)
    {
        var stopwatch = Stopwatch.StartNew();
        var error = await Record.ExceptionAsync(() => GetPageAsync(client, CancellationToken.None).WaitAsync(Bound));
        return (error, stopwatch.Elapsed);
    }

    [Fact]
    public async Task Caller_Cancellation_Ends_A_Request_That_Never_Answers()
    {
        using var client = TestClients.Create(FakeHttpHandler.NeverAnswers(), timeout: Timeout.InfiniteTimeSpan);

        var (error, elapsed) = await CancelAfterAsync(client, TimeSpan.FromMilliseconds(100));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.True(elapsed < Bound, $"took {elapsed}");
    }

    [Fact]
    public async Task Caller_Cancellation_Is_Not_Reported_As_A_Timeout_Even_With_A_Timeout_Set()
    {
        using var client = TestClients.Create(FakeHttpHandler.NeverAnswers(), timeout: TimeSpan.FromSeconds(30));

        var (error, _) = await CancelAfterAsync(client, TimeSpan.FromMilliseconds(100));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
    }

    [Fact]
    public async Task An_Already_Cancelled_Token_Sends_Nothing_Or_Stops_At_Once()
    {
        var handler = FakeHttpHandler.NeverAnswers();
        using var client = TestClients.Create(handler);

        var error = await Record.ExceptionAsync(() => GetPageAsync(client, new CancellationToken(true)).WaitAsync(Bound));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
    }

    [Fact]
    public async Task The_Client_Timeout_Ends_A_Request_That_Never_Answers_As_ConfluenceTimeout()
    {
        using var client = TestClients.Create(FakeHttpHandler.NeverAnswers(), timeout: TimeSpan.FromMilliseconds(200));

        var (error, elapsed) = await RunAsync(client);

        var api = Assert.IsType<ConfluenceApiException>(error);
        Assert.Equal("ConfluenceTimeout", api.ErrorId);
        Assert.Equal(FailureKind.Timeout, api.Kind);
        Assert.IsAssignableFrom<OperationCanceledException>(api.InnerException);
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(150), Bound);
        TestSecrets.AssertNoSecret(api);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_Client_Timeout_Covers_A_Body_That_Stalls_Mid_Stream(bool streamHonoursToken)
    {
        var stream = new StallingStream("{\"results\":[" + Responses.Record("a") + ",", streamHonoursToken);
        try
        {
            using var client = TestClients.Create(FakeHttpHandler.Always(() => Responses.Stalling(stream)), timeout: TimeSpan.FromMilliseconds(200));

            var (error, elapsed) = await RunAsync(client);

            var api = Assert.IsType<ConfluenceApiException>(error);
            Assert.Equal("ConfluenceTimeout", api.ErrorId);
            Assert.InRange(elapsed, TimeSpan.FromMilliseconds(150), Bound);
        }
        finally
        {
            stream.Release();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Caller_Cancellation_Ends_A_Stalled_Body_As_OperationCanceledException(bool streamHonoursToken)
    {
        var stream = new StallingStream("{\"results\":[", streamHonoursToken);
        try
        {
            using var client = TestClients.Create(FakeHttpHandler.Always(() => Responses.Stalling(stream)), timeout: TimeSpan.FromSeconds(30));

            var (error, elapsed) = await CancelAfterAsync(client, TimeSpan.FromMilliseconds(100));

            Assert.IsAssignableFrom<OperationCanceledException>(error);
            Assert.True(elapsed < Bound, $"took {elapsed}");
        }
        finally
        {
            stream.Release();
        }
    }

    /// <summary>An error status whose body never finishes must not hang past the timeout while its message is read.</summary>
    [Fact]
    public async Task The_Client_Timeout_Covers_A_Stalled_Error_Body()
    {
        var stream = new StallingStream("{\"message\":\"Internal", honourToken: true);
        try
        {
            using var client = TestClients.Create(
                FakeHttpHandler.Always(() => Responses.Stalling(stream, HttpStatusCode.InternalServerError)), timeout: TimeSpan.FromMilliseconds(200));

            var (error, elapsed) = await RunAsync(client);

            Assert.IsNotType<TimeoutException>(error);
            var api = Assert.IsType<ConfluenceApiException>(error);
            Assert.Equal("ConfluenceTimeout", api.ErrorId);
            Assert.True(elapsed < Bound, $"took {elapsed}");
        }
        finally
        {
            stream.Release();
        }
    }

    [Fact]
    public async Task Caller_Cancellation_Ends_A_Stalled_Error_Body()
    {
        var stream = new StallingStream("{\"message\":\"Rate", honourToken: true);
        try
        {
            using var client = TestClients.Create(
                FakeHttpHandler.Always(() => Responses.Stalling(stream, HttpStatusCode.TooManyRequests)), timeout: Timeout.InfiniteTimeSpan);

            var (error, _) = await CancelAfterAsync(client, TimeSpan.FromMilliseconds(100));

            Assert.IsNotType<TimeoutException>(error);
            Assert.IsAssignableFrom<OperationCanceledException>(error);
        }
        finally
        {
            stream.Release();
        }
    }

    [Fact]
    public async Task Pager_Passes_Cancellation_Through()
    {
        using var client = TestClients.Create(FakeHttpHandler.NeverAnswers());
        var pager = new AuditRecordPager(client, TestClients.All(), 0, ulong.MaxValue, 10, 1);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var error = await Record.ExceptionAsync(() => TestClients.ReadAllAsync(pager, cancellationToken: cancel.Token).WaitAsync(Bound));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
    }
}
