using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>Get-ConfluenceAuditRecord in a real runspace, talking to a fake handler through -Connection.</summary>
public sealed class GetConfluenceAuditRecordCmdletTests : IDisposable
{
    private readonly PowerShellHost host = new();

    public void Dispose() => host.Dispose();

    private (ScriptResult Result, FakeHttpHandler Handler) Run(FakeHttpHandler handler, string script, string baseUri = "https://acme.atlassian.net")
    {
        using var connection = PowerShellHost.Connect(handler, baseUri);
        host.SetVariable("c", connection);
        var result = host.Run(script);
        Assert.All(result.AllText(), TestSecrets.AssertNoSecret);
        return (result, handler);
    }

    private static List<(int Start, int Limit)> Calls(FakeHttpHandler handler) =>
        handler.Requests.Select(r => (int.Parse(r.Query["start"], CultureInfo.InvariantCulture), int.Parse(r.Query["limit"], CultureInfo.InvariantCulture))).ToList();

    [Fact]
    public void Emits_Typed_Records_From_Every_Page()
    {
        var server = new FakeAuditServer(5);

        var (result, handler) = Run(server.CreateHandler(), "Get-ConfluenceAuditRecord -Connection $c -PageSize 2");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        var records = result.Output.Select(o => Assert.IsType<ConfluenceAuditRecord>(o.BaseObject)).ToList();
        Assert.Equal(FakeAuditServer.Summaries(0, 5), records.Select(r => r.Summary));
        Assert.Equal((0, 2), Calls(handler)[0]);
        Assert.All(Calls(handler), c => Assert.Equal(2, c.Limit));
        Assert.Equal(0, server.Log[^1].Count);
        Assert.All(handler.Requests, r => Assert.Equal("/wiki/rest/api/audit", r.Uri.AbsolutePath));
    }

    /// <summary>
    /// Records stream: each page is written as it arrives, with exactly one request ahead of the writing (the next page
    /// downloads while this one is written), never the whole listing collected first.
    /// </summary>
    [Fact]
    public void Writes_Each_Page_While_Only_The_Next_One_Downloads()
    {
        var events = new ConcurrentQueue<string>();
        var handler = new FakeAuditServer(4).CreateHandler();
        handler.RequestReceived += r => events.Enqueue("request " + r.Query["start"]);
        host.SetVariable("events", events);

        Run(handler, "Get-ConfluenceAuditRecord -Connection $c -PageSize 2 | ForEach-Object { $events.Enqueue('record ' + $_.Summary) }");

        var order = events.ToList();
        var requests = order.Select((e, i) => (e, i)).Where(x => x.e.StartsWith("request", StringComparison.Ordinal)).Select(x => x.i).ToList();
        Assert.True(requests.Count >= 3, string.Join(", ", order));
        Assert.Equal(0, requests[0]);
        Assert.True(order.IndexOf("record record 0") < requests[2], "the first page was written only after the third request: " + string.Join(", ", order));
        Assert.True(order.IndexOf("record record 2") < requests[3], "the second page was written only after the fourth request: " + string.Join(", ", order));
        Assert.Equal(FakeAuditServer.Summaries(0, 4).Select(s => "record " + s), order.Where(e => e.StartsWith("record", StringComparison.Ordinal)));
    }

    [Fact]
    public void Without_Dates_Sends_No_Start_Date_And_At_Most_A_Fixed_End_Of_Now()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var (result, handler) = Run(new FakeAuditServer(0).CreateHandler(), "Get-ConfluenceAuditRecord -Connection $c");

        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Null(result.Terminating);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("/wiki/rest/api/audit", request.Uri.AbsolutePath);
        Assert.Equal("0", request.Query["start"]);
        Assert.Equal("1000", request.Query["limit"]);
        Assert.False(request.Query.ContainsKey("startDate"));
        Assert.False(request.Query.ContainsKey("searchString"));
        if (request.Query.TryGetValue("endDate", out var end))
        {
            Assert.InRange(long.Parse(end, CultureInfo.InvariantCulture), before - 1000, after + 1000);
        }
    }

    [Fact]
    public void First_And_Skip_Map_To_Limit_And_Start()
    {
        var server = new FakeAuditServer(100);

        var (result, handler) = Run(server.CreateHandler(), "Get-ConfluenceAuditRecord -Connection $c -First 5 -Skip 10 -PageSize 2");

        Assert.Equal(FakeAuditServer.Summaries(10, 5), result.Output.Select(o => ((ConfluenceAuditRecord)o.BaseObject).Summary));
        Assert.Equal((10, 2), Calls(handler)[0]);
        Assert.All(Calls(handler), c => Assert.True(c.Start >= 9 && c.Limit <= 2, $"start {c.Start}, limit {c.Limit}"));
        Assert.DoesNotContain(server.Log, s => s.Count == 0);
        Assert.All(Calls(handler), c => Assert.True(c.Start + c.Limit <= 15, $"asked for records past the 15th: start {c.Start}, limit {c.Limit}"));
    }

    [Fact]
    public void First_Alone_Asks_For_Exactly_That_Many_In_One_Request()
    {
        var (result, handler) = Run(new FakeAuditServer(100).CreateHandler(), "Get-ConfluenceAuditRecord -Connection $c -First 3");

        Assert.Equal(3, result.Output.Count);
        Assert.Equal(new[] { (0, 3) }, Calls(handler));
    }

    [Theory]
    [InlineData("HALF_DAYS")]
    [InlineData("HalfDays")]
    [InlineData("half_days")]
    public void Last_And_Unit_Use_The_Since_Endpoint(string unit)
    {
        var (result, handler) = Run(new FakeAuditServer(1).CreateHandler(), $"Get-ConfluenceAuditRecord -Connection $c -Last 3 -Unit {unit}");

        Assert.Null(result.Terminating);
        Assert.Single(result.Output);
        var request = handler.Requests[0];
        Assert.Equal("/wiki/rest/api/audit/since", request.Uri.AbsolutePath);
        Assert.Equal("3", request.Query["number"]);
        Assert.Equal("HALF_DAYS", request.Query["units"]);
        Assert.False(request.Query.ContainsKey("startDate"));
    }

    [Fact]
    public void An_Unknown_Unit_Is_Refused_At_Binding()
    {
        var (result, handler) = Run(new FakeAuditServer(1).CreateHandler(), "Get-ConfluenceAuditRecord -Connection $c -Last 3 -Unit FORTNIGHTS");

        Assert.IsAssignableFrom<ParameterBindingException>(result.Terminating?.Exception);
        Assert.Contains("HalfDays", result.Terminating!.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void Utc_Dates_And_Search_Are_Sent_As_Epoch_Milliseconds_And_Encoded()
    {
        var (_, handler) = Run(new FakeAuditServer(0).CreateHandler(),
            "Get-ConfluenceAuditRecord -Connection $c -StartDate ([datetime]::new(2026,3,1,0,0,0,[DateTimeKind]::Utc)) " +
            "-EndDate ([datetime]::new(2026,3,2,10,15,0,125,[DateTimeKind]::Utc)) -SearchString 'space permission & more'");

        var request = Assert.Single(handler.Requests);
        Assert.Equal("1772323200000", request.Query["startDate"]);
        Assert.Equal("1772446500125", request.Query["endDate"]);
        Assert.Equal("space permission & more", request.Query["searchString"]);
        Assert.Contains("searchString=space%20permission%20%26%20more", request.Uri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public void StartDate_After_EndDate_Fails_Before_Any_Request()
    {
        var (result, handler) = Run(new FakeAuditServer(1).CreateHandler(),
            "Get-ConfluenceAuditRecord -Connection $c -StartDate ([datetime]'2026-03-02') -EndDate ([datetime]'2026-03-01')");

        Assert.NotNull(result.Terminating);
        Assert.StartsWith("InvalidDateRange", result.Terminating!.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidArgument, result.Terminating.CategoryInfo.Category);
        Assert.Empty(handler.Requests);
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("-StartDate ([datetime]'1960-01-01')")]
    [InlineData("-EndDate ([datetime]'1969-06-30')")]
    [InlineData("-StartDate ([datetime]::MinValue)")]
    public void Dates_Before_1970_Fail_Before_Any_Request(string parameter)
    {
        var (result, handler) = Run(new FakeAuditServer(1).CreateHandler(), "Get-ConfluenceAuditRecord -Connection $c " + parameter);

        Assert.NotNull(result.Terminating);
        Assert.StartsWith("DateOutOfRange", result.Terminating!.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    [InlineData(-1)]
    public void PageSize_Out_Of_Range_Is_Refused_At_Binding(int pageSize)
    {
        var (result, handler) = Run(new FakeAuditServer(1).CreateHandler(), $"Get-ConfluenceAuditRecord -Connection $c -PageSize {pageSize}");

        Assert.NotNull(result.Terminating);
        Assert.StartsWith("ParameterArgumentValidationError", result.Terminating!.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void Last_Zero_Is_Refused_At_Binding()
    {
        var (result, handler) = Run(new FakeAuditServer(1).CreateHandler(), "Get-ConfluenceAuditRecord -Connection $c -Last 0 -Unit Days");

        Assert.NotNull(result.Terminating);
        Assert.StartsWith("ParameterArgumentValidationError", result.Terminating!.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void Unauthorized_Is_A_Terminating_AuthenticationError_With_The_Server_Message()
    {
        const string said = "Basic authentication with passwords is deprecated";
        var handler = FakeHttpHandler.Always(() => Responses.Json($"{{\"statusCode\":401,\"message\":\"{said}\"}}", HttpStatusCode.Unauthorized));

        var (result, _) = Run(handler, "Get-ConfluenceAuditRecord -Connection $c; 'after'");

        var error = result.Terminating;
        Assert.NotNull(error);
        Assert.StartsWith("ConfluenceAuthenticationFailed", error!.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains(said, error.ErrorDetails!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Output, o => "after".Equals(o.BaseObject));
    }

    [Fact]
    public void Not_Found_Is_Terminating_ObjectNotFound()
    {
        var (result, _) = Run(FakeHttpHandler.Always(() => Responses.Empty(HttpStatusCode.NotFound)), "Get-ConfluenceAuditRecord -Connection $c");

        Assert.StartsWith("ConfluenceNotFound", result.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Terminating!.CategoryInfo.Category);
    }

    [Fact]
    public void Server_Error_Is_Non_Terminating_And_Keeps_What_Was_Already_Written()
    {
        var handler = FakeHttpHandler.Script(
            () => Responses.Json(Responses.Page(new[] { Responses.Record("first"), Responses.Record("second") })),
            () => Responses.Json("{\"message\":\"Internal server error\"}", HttpStatusCode.InternalServerError));

        var (result, _) = Run(handler, "Get-ConfluenceAuditRecord -Connection $c -PageSize 2; 'after'");

        Assert.Null(result.Terminating);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ConfluenceServerError", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Contains("Internal server error", error.ErrorDetails!.Message, StringComparison.Ordinal);
        Assert.Equal(new object[] { "first", "second", "after" },
            result.Output.Select(o => o.BaseObject is ConfluenceAuditRecord r ? r.Summary : o.BaseObject).ToArray());
    }

    [Fact]
    public void Rate_Limited_Is_LimitsExceeded()
    {
        var (result, _) = Run(FakeHttpHandler.Always(() => Responses.Json("{\"message\":\"Too many requests\"}", HttpStatusCode.TooManyRequests)),
            "Get-ConfluenceAuditRecord -Connection $c");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ConfluenceRateLimited", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
    }

    [Fact]
    public void Verbose_Shows_Method_Url_And_Status_Of_Each_Request_And_Never_The_Secret()
    {
        var (result, handler) = Run(new FakeAuditServer(3).CreateHandler(), "Get-ConfluenceAuditRecord -Connection $c -PageSize 2 -Verbose");

        Assert.True(handler.Requests.Count >= 2);
        foreach (var request in handler.Requests)
        {
            Assert.Contains(result.Verbose, line => line.Contains("GET " + request.Uri.AbsoluteUri + " -> 200", StringComparison.Ordinal));
        }

        Assert.All(result.Verbose, TestSecrets.AssertNoSecret);
    }

    [Fact]
    public void Verbose_Shows_The_Status_Of_A_Failed_Request()
    {
        var (result, handler) = Run(FakeHttpHandler.Always(() => Responses.Empty(HttpStatusCode.Forbidden)), "Get-ConfluenceAuditRecord -Connection $c -Verbose");

        var request = Assert.Single(handler.Requests);
        Assert.Contains(result.Verbose, line => line.Contains("GET " + request.Uri.AbsoluteUri + " -> 403", StringComparison.Ordinal));
        Assert.StartsWith("ConfluencePermissionDenied", result.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public void Stopping_The_Pipeline_Ends_A_Hung_Request_Quietly()
    {
        var handler = FakeHttpHandler.NeverAnswers();
        using var connection = PowerShellHost.Connect(handler);
        host.SetVariable("c", connection);
        var stopwatch = Stopwatch.StartNew();

        var (result, thrown) = host.RunAndStop("Get-ConfluenceAuditRecord -Connection $c", () => handler.Requests.Count > 0, TimeSpan.FromSeconds(5));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        Assert.Single(handler.Requests);
        Assert.True(thrown is null or PipelineStoppedException, thrown?.ToString());
        Assert.Empty(result!.Errors);
        Assert.Null(result.Terminating);
    }

    [Fact]
    public void A_Closed_Connection_Is_Refused()
    {
        var handler = new FakeAuditServer(1).CreateHandler();
        var connection = PowerShellHost.Connect(handler);
        connection.Dispose();
        host.SetVariable("c", connection);

        var result = host.Run("Get-ConfluenceAuditRecord -Connection $c");

        Assert.StartsWith("ConfluenceConnectionClosed", result.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }
}
