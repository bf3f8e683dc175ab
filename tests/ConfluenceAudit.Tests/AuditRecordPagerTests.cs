using System.Globalization;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>
/// Paging with start/limit against servers that cap, shorten, mislabel or grow their pages. The assertions are about
/// outcomes (every record once, in order; where the listing stopped; what was asked for), not one exact request
/// sequence, so they hold for any pager that starts each page at, or one record before, where the last one ended.
/// </summary>
public class AuditRecordPagerTests
{
    private static async Task<(List<string> Summaries, AuditRecordPager Pager)> ListAsync(FakeAuditServer server, ulong skip = 0, ulong first = ulong.MaxValue, int pageSize = 1000, RecordingLog? log = null)
    {
        using var client = TestClients.Create(server.CreateHandler());
        var pager = new AuditRecordPager(client, TestClients.All(), skip, first, pageSize, 1);
        var (records, pages) = await TestClients.ReadAllAsync(pager, log);
        Assert.DoesNotContain(0, pages);
        return (records.Select(r => r.Summary).ToList(), pager);
    }

    /// <summary>Exactly one empty page was asked for, and it was the last request.</summary>
    private static void AssertEndedOnOneEmptyPage(FakeAuditServer server)
    {
        var log = server.Log;
        Assert.Equal(0, log[^1].Count);
        Assert.Single(log, s => s.Count == 0);
    }

    private static void AssertAtMostRequests(FakeAuditServer server, int records, int perPage)
    {
        var bound = ((records + perPage - 2) / (perPage - 1)) + 2;
        Assert.True(server.Log.Count <= bound, $"{server.Log.Count} requests for {records} records, {perPage} a page (at most {bound} expected)");
    }

    /// <summary>
    /// Each request asks for min(page size, records still needed), plus at most one record of overlap after the first
    /// page, and no request is sent once <paramref name="first"/> records have arrived.
    /// </summary>
    private static void AssertAskedOnlyForWhatWasNeeded(FakeAuditServer server, int skip, int first, int pageSize)
    {
        var received = new HashSet<int>();
        var log = server.Log;
        for (var i = 0; i < log.Count; i++)
        {
            var needed = first - received.Count;
            Assert.True(needed > 0, $"request {i} (start {log[i].Start}) was sent after all {first} records had arrived");
            var most = Math.Min(pageSize, i == 0 ? needed : needed + 1);
            var least = Math.Min(pageSize, needed);
            Assert.True(log[i].Limit >= least && log[i].Limit <= most, $"request {i} asked for {log[i].Limit}, needed {needed} (page size {pageSize})");
            for (var k = Math.Max(log[i].Start, skip); k < log[i].Start + log[i].Count; k++)
            {
                received.Add(k);
            }
        }
    }

    [Fact]
    public async Task Several_Full_Pages_Return_Every_Record_In_Order_And_End_On_An_Empty_Page()
    {
        var server = new FakeAuditServer(25);

        var (summaries, pager) = await ListAsync(server, pageSize: 10);

        Assert.Equal(FakeAuditServer.Summaries(0, 25), summaries);
        AssertEndedOnOneEmptyPage(server);
        AssertAtMostRequests(server, 25, 10);
        Assert.Equal((0, 10), (server.Log[0].Start, server.Log[0].Limit));
        Assert.All(server.Log, s => Assert.Equal(10, s.Limit));
        Assert.Equal(server.Log.Count, pager.PagesRequested);
        Assert.Equal(25, pager.RecordsReturned);
    }

    [Fact]
    public async Task An_Empty_Log_Takes_One_Request()
    {
        var server = new FakeAuditServer(0);

        var (summaries, _) = await ListAsync(server);

        Assert.Empty(summaries);
        Assert.Single(server.Log);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_Server_Cap_Below_The_Requested_Limit_Loses_Nothing(bool echoCappedLimit)
    {
        var server = new FakeAuditServer(23) { LimitCap = 5, EchoCappedLimit = echoCappedLimit };
        var log = new RecordingLog();

        var (summaries, _) = await ListAsync(server, pageSize: 1000, log: log);

        Assert.Equal(FakeAuditServer.Summaries(0, 23), summaries);
        AssertEndedOnOneEmptyPage(server);
        AssertAtMostRequests(server, 23, 5);

        // A cap the server states is asked for from then on (so pages come back whole and can be planned ahead);
        // an unstated one is never assumed.
        Assert.Equal(1000, server.Log[0].Limit);
        Assert.All(server.Log.Skip(1), s => Assert.Equal(echoCappedLimit ? 5 : 1000, s.Limit));
        Assert.Contains(log.Messages, m => m.Contains("received 5", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_Server_That_Sends_One_Record_A_Page_Loses_Nothing(bool echoCappedLimit)
    {
        var server = new FakeAuditServer(6) { LimitCap = 1, EchoCappedLimit = echoCappedLimit };

        var (summaries, _) = await ListAsync(server, pageSize: 100);

        Assert.Equal(FakeAuditServer.Summaries(0, 6), summaries);
        AssertEndedOnOneEmptyPage(server);
    }

    [Fact]
    public async Task A_Short_Page_In_The_Middle_Does_Not_End_The_Listing()
    {
        var server = new FakeAuditServer(30) { ShortPage = i => i == 1 ? 3 : null };

        var (summaries, _) = await ListAsync(server, pageSize: 10);

        Assert.Equal(FakeAuditServer.Summaries(0, 30), summaries);
        AssertEndedOnOneEmptyPage(server);
    }

    [Fact]
    public async Task Size_Sent_As_The_Total_Is_Not_Trusted()
    {
        var server = new FakeAuditServer(12) { SizeIsTotal = true, LimitCap = 4 };

        var (summaries, _) = await ListAsync(server, pageSize: 10);

        Assert.Equal(FakeAuditServer.Summaries(0, 12), summaries);
        AssertEndedOnOneEmptyPage(server);
    }

    [Fact]
    public async Task Records_Arriving_While_Listing_Neither_Duplicate_Nor_Lose_Records()
    {
        var server = new FakeAuditServer(20) { ArrivalsPerRequest = 2, ArrivalRequests = 3 };

        var (summaries, pager) = await ListAsync(server, pageSize: 5);

        Assert.Equal(summaries.Count, summaries.Distinct().Count());
        Assert.Equal(FakeAuditServer.Summaries(0, 20), summaries.Where(s => s.StartsWith("record ", StringComparison.Ordinal)));
        Assert.True(pager.DuplicatesSkipped > 0);
        AssertEndedOnOneEmptyPage(server);
    }

    [Fact]
    public async Task A_Server_That_Ignores_Start_Is_Reported_Not_Looped_On()
    {
        var server = new FakeAuditServer(50) { IgnoreStart = true };
        using var client = TestClients.Create(server.CreateHandler());
        var pager = new AuditRecordPager(client, TestClients.All(), 0, ulong.MaxValue, 10, 1);

        var error = await Assert.ThrowsAsync<ConfluenceApiException>(() => TestClients.ReadAllAsync(pager));

        Assert.Equal("ConfluencePagingStalled", error.ErrorId);
        Assert.InRange(server.Log.Count, 2, 10);
        Assert.Equal(10, pager.RecordsReturned);
    }

    [Fact]
    public async Task First_Asks_Only_For_What_It_Needs_And_Stops_Without_An_Extra_Request()
    {
        var server = new FakeAuditServer(100);

        var (summaries, pager) = await ListAsync(server, first: 25, pageSize: 10);

        Assert.Equal(FakeAuditServer.Summaries(0, 25), summaries);
        AssertAskedOnlyForWhatWasNeeded(server, 0, 25, 10);
        Assert.DoesNotContain(server.Log, s => s.Count == 0);
        Assert.Null(await pager.NextPageAsync(NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(pager.PagesRequested, server.Log.Count);
    }

    [Fact]
    public async Task First_Below_The_Page_Size_Is_One_Request_With_That_Limit()
    {
        var server = new FakeAuditServer(100);

        var (summaries, _) = await ListAsync(server, first: 5, pageSize: 1000);

        Assert.Equal(FakeAuditServer.Summaries(0, 5), summaries);
        var only = Assert.Single(server.Log);
        Assert.Equal(new FakeAuditServer.Served(0, 5, 5), only);
    }

    [Fact]
    public async Task First_With_A_Capped_Server_Asks_For_The_Remainder_Each_Time()
    {
        var server = new FakeAuditServer(100) { LimitCap = 2 };

        var (summaries, _) = await ListAsync(server, first: 5, pageSize: 1000);

        Assert.Equal(FakeAuditServer.Summaries(0, 5), summaries);
        AssertAskedOnlyForWhatWasNeeded(server, 0, 5, 1000);
    }

    [Fact]
    public async Task First_Never_Returns_More_Than_Asked_When_The_Server_Ignores_Limit()
    {
        var server = new FakeAuditServer(100) { IgnoreLimitAndSend = 10 };

        var (summaries, pager) = await ListAsync(server, first: 3, pageSize: 1000);

        Assert.Equal(FakeAuditServer.Summaries(0, 3), summaries);
        Assert.Single(server.Log);
        Assert.Equal(3, pager.RecordsReturned);
    }

    [Fact]
    public async Task First_Larger_Than_The_Log_Ends_On_The_Empty_Page()
    {
        var server = new FakeAuditServer(7);

        var (summaries, _) = await ListAsync(server, first: 50, pageSize: 5);

        Assert.Equal(FakeAuditServer.Summaries(0, 7), summaries);
        AssertEndedOnOneEmptyPage(server);
    }

    [Fact]
    public async Task First_Zero_Sends_Nothing()
    {
        var server = new FakeAuditServer(7);

        var (summaries, _) = await ListAsync(server, first: 0);

        Assert.Empty(summaries);
        Assert.Empty(server.Log);
    }

    [Fact]
    public async Task Skip_Maps_To_Start()
    {
        var server = new FakeAuditServer(20);

        var (summaries, _) = await ListAsync(server, skip: 15, pageSize: 10);

        Assert.Equal(FakeAuditServer.Summaries(15, 5), summaries);
        Assert.Equal(15, server.Log[0].Start);
        AssertEndedOnOneEmptyPage(server);
        Assert.All(server.Log, s => Assert.True(s.Start >= 14, $"start {s.Start} is before -Skip 15 (less one record of overlap)"));
    }

    [Fact]
    public async Task Skip_And_First_Together()
    {
        var server = new FakeAuditServer(100);

        var (summaries, _) = await ListAsync(server, skip: 10, first: 4, pageSize: 3);

        Assert.Equal(FakeAuditServer.Summaries(10, 4), summaries);
        Assert.Equal(new FakeAuditServer.Served(10, 3, 3), server.Log[0]);
        AssertAskedOnlyForWhatWasNeeded(server, 10, 4, 3);
    }

    [Fact]
    public void Skip_Beyond_Int_MaxValue_Is_Refused()
    {
        using var client = TestClients.Create(new FakeAuditServer(1).CreateHandler());

        Assert.Throws<ArgumentOutOfRangeException>(() => new AuditRecordPager(client, TestClients.All(), (ulong)int.MaxValue + 1, ulong.MaxValue, 10, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AuditRecordPager(client, TestClients.All(), ulong.MaxValue, ulong.MaxValue, 10, 1));
        _ = new AuditRecordPager(client, TestClients.All(), int.MaxValue, ulong.MaxValue, 10, 1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Page_Size_Below_One_Is_Refused(int pageSize)
    {
        using var client = TestClients.Create(new FakeAuditServer(1).CreateHandler());

        Assert.Throws<ArgumentOutOfRangeException>(() => new AuditRecordPager(client, TestClients.All(), 0, ulong.MaxValue, pageSize, 1));
    }

    [Fact]
    public async Task Since_Queries_Page_On_The_Since_Path()
    {
        var server = new FakeAuditServer(3);
        var handler = server.CreateHandler();
        using var client = TestClients.Create(handler);
        var pager = new AuditRecordPager(client, AuditQuery.Since(3, AuditTimeUnit.Months, null), 0, ulong.MaxValue, 2, 1);

        var (records, _) = await TestClients.ReadAllAsync(pager);

        Assert.Equal(FakeAuditServer.Summaries(0, 3), records.Select(r => r.Summary));
        Assert.All(handler.Requests, r => Assert.Equal("/wiki/rest/api/audit/since", r.Uri.AbsolutePath));
        Assert.All(handler.Requests, r => Assert.Equal("MONTHS", r.Query["units"]));
        Assert.All(handler.Requests, r => Assert.Equal("3", r.Query["number"]));
    }

    [Fact]
    public async Task After_The_End_The_Pager_Sends_No_More_Requests()
    {
        var server = new FakeAuditServer(3);
        using var client = TestClients.Create(server.CreateHandler());
        var pager = new AuditRecordPager(client, TestClients.All(), 0, ulong.MaxValue, 10, 1);
        await TestClients.ReadAllAsync(pager);
        var count = server.Log.Count;

        Assert.Null(await pager.NextPageAsync(NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(count, server.Log.Count);
    }

    /// <summary>A null entry in "results" still takes a slot on the server: every real record still comes once, and the listing ends.</summary>
    [Fact]
    public async Task Null_Entries_In_Results_Still_Count_As_Slots()
    {
        var slots = new[] { "null", Responses.Record("b", 3000), "null", Responses.Record("d", 1000) };
        var handler = new FakeHttpHandler(request =>
        {
            var query = QueryString.Parse(request.RequestUri!);
            var start = int.Parse(query["start"], CultureInfo.InvariantCulture);
            var limit = int.Parse(query["limit"], CultureInfo.InvariantCulture);
            return Responses.Json(Responses.Page(slots.Skip(start).Take(limit), start, limit));
        });
        using var client = TestClients.Create(handler);
        var pager = new AuditRecordPager(client, TestClients.All(), 0, ulong.MaxValue, 3, 1);

        var (records, _) = await TestClients.ReadAllAsync(pager);

        Assert.Equal(new[] { "b", "d" }, records.Select(r => r.Summary));
        Assert.InRange(handler.Requests.Count, 2, 10);
    }
}
