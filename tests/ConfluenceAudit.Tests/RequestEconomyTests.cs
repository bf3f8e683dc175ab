using ConfluenceAudit.Listing;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>
/// What a listing costs in requests with the default concurrency (4), against the fake server (answers at once).
/// The Pester tests count the same in the emulator's log, with real concurrency.
/// </summary>
public class RequestEconomyTests
{
    private static async Task<(int Records, FakeAuditServer Server)> ListAsync(int records, int cap, int pageSize = 1000, ulong first = ulong.MaxValue)
    {
        var server = new FakeAuditServer(records) { LimitCap = cap, EchoCappedLimit = true };
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
    public async Task Records_At_A_Cap_Of_1000_Cost_The_Pages_Needed_And_At_Most_Three_More(int records, int most)
    {
        var (listed, server) = await ListAsync(records, 1000);

        Assert.Equal(records, listed);
        Assert.True(server.Log.Count <= most, $"{server.Log.Count} requests for {records} records (at most {most})");
        Assert.Equal(server.Log.Count, server.Log.Select(s => (s.Start, s.Limit)).Distinct().Count());
        Assert.True(server.Log.Count(s => s.Start >= records) <= 3, "at most MaxConcurrency - 1 requests past the end");
    }
}
