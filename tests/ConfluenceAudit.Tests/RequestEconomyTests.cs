using ConfluenceAudit.Listing;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>
/// What a listing costs in requests with the default concurrency (4), against the fake server (answers at once).
/// The Pester tests count the same in the emulator's log, with real concurrency.
/// </summary>
public class RequestEconomyTests
{
    private static async Task<(int Records, FakeAuditServer Server)> ListAsync(int records, int cap, int pageSize = 1000, ulong first = ulong.MaxValue, Func<int, long>? creationDate = null)
    {
        var server = new FakeAuditServer(records, creationDate) { LimitCap = cap, EchoCappedLimit = true };
        using var client = TestClients.Create(server.CreateHandler());
        using var pager = new AuditRecordPager(client, TestClients.All(), 0, first, pageSize, 4);
        var (list, _) = await TestClients.ReadAllAsync(pager);
        Assert.Equal(list.Count, list.Select(RecordKey.Of).Distinct().Count());
        return (list.Count, server);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(40, 2)]
    [InlineData(999, 2)]
    public async Task A_Short_First_Page_Ends_After_At_Most_Two_Requests(int records, int most)
    {
        var (listed, server) = await ListAsync(records, 1000);

        Assert.Equal(records, listed);
        Assert.InRange(server.Log.Count, 1, most);
    }

    [Theory]
    [InlineData(3000, 7)]
    [InlineData(2998, 7)]
    [InlineData(10000, 14)]
    [InlineData(1500, 7)]
    [InlineData(2500, 7)]
    [InlineData(4200, 9)]
    [InlineData(5100, 10)]
    public async Task Records_At_A_Cap_Of_1000_Cost_The_Pages_Needed_And_At_Most_Three_More(int records, int most)
    {
        var (listed, server) = await ListAsync(records, 1000);

        Assert.Equal(records, listed);
        Assert.True(server.Log.Count <= most, $"{server.Log.Count} requests for {records} records (at most {most})");
        Assert.Equal(server.Log.Count, server.Log.Select(s => (s.Start, s.Limit)).Distinct().Count());
        Assert.True(server.Log.Count(s => s.Start >= records) <= 3, "at most MaxConcurrency - 1 requests past the end");
    }

    [Fact]
    public async Task Records_Sharing_A_Millisecond_At_Page_Boundaries_Cost_No_Request_Again()
    {
        // Pairs of distinct records in one millisecond straddle the end of every page of 999 new records, as bulk
        // changes log them: the anchor still tells the pages apart, so the pages planned ahead stay valid.
        const long newest = FakeAuditServer.NewestCreationDate;
        var (listed, server) = await ListAsync(10000, 1000, creationDate: i => newest - ((i / 2) * 1000L));

        Assert.Equal(10000, listed);
        Assert.True(server.Log.Count <= 14, $"{server.Log.Count} requests (at most 14)");
        Assert.Equal(server.Log.Count, server.Log.Select(s => s.Start).Distinct().Count());

        // Every page repeats the anchor alone: it starts 999 records after the one before (10,000 confirms the end).
        Assert.All(server.Log.Where(s => s.Start != 10000), s => Assert.Equal(0, s.Start % 999));
    }
}
