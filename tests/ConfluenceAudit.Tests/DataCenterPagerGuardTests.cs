using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>The Data Center pager's progress guard: a server that does not move through the list ends the listing quickly.</summary>
public class DataCenterPagerGuardTests
{
    private static string Event(string timestamp, string action) =>
        "{\"timestamp\":\"" + timestamp + "\",\"author\":{\"name\":\"Ada Admin\",\"type\":\"user\",\"id\":\"8a7f\"},\"type\":{\"category\":\"Permissions\",\"action\":\"" + action + "\"}}";

    private static string Page(string cursor, string link, params string[] events) =>
        "{\"entities\":[" + string.Join(",", events) + "],\"pagingInfo\":{\"lastPage\":false,\"size\":" + events.Length +
        ",\"nextPageCursor\":\"" + cursor + "\",\"nextPageLink\":\"" + link + "\"}}";

    private static async Task<(ConfluenceApiException Error, int Requests, int Records)> ListAsync(params string[] pages)
    {
        var served = 0;
        var handler = new FakeHttpHandler(_ => Responses.Json(pages[Math.Min(served++, pages.Length - 1)]));
        using var client = TestClients.Create(handler);
        using var pager = new DataCenterEventPager(client, TestClients.All(), 0, ulong.MaxValue, 2);
        var records = 0;
        var error = await Assert.ThrowsAsync<ConfluenceApiException>(async () =>
        {
            while (await pager.NextPageAsync(NullOperationLog.Instance, CancellationToken.None) is { } page)
            {
                records += page.Count;
            }
        });
        return (error, handler.Requests.Count, records);
    }

    [Fact]
    public async Task A_Cursor_Seen_Before_In_The_Listing_Ends_It()
    {
        var (error, requests, records) = await ListAsync(
            Page("100,1", "l1", Event("2026-03-02T10:15:00Z", "a")),
            Page("99,2", "l2", Event("2026-03-02T10:14:00Z", "b")),
            Page("100,1", "l3", Event("2026-03-02T10:13:00Z", "c")));

        Assert.Equal("ConfluencePagingStalled", error.ErrorId);
        Assert.Contains("'100,1' was given before", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, requests);
        Assert.Equal(2, records);
    }

    [Fact]
    public async Task A_NextPageLink_Seen_Before_Ends_It()
    {
        var (error, requests, _) = await ListAsync(
            Page("100,1", "same", Event("2026-03-02T10:15:00Z", "a")),
            Page("99,2", "same", Event("2026-03-02T10:14:00Z", "b")));

        Assert.Equal("ConfluencePagingStalled", error.ErrorId);
        Assert.Contains("nextPageLink", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, requests);
    }

    [Fact]
    public async Task A_Page_That_Repeats_The_One_Before_Ends_It()
    {
        var events = new[] { Event("2026-03-02T10:15:00Z", "a"), Event("2026-03-02T10:14:00Z", "b") };
        var (error, requests, records) = await ListAsync(Page("100,1", "l1", events), Page("99,2", "l2", events));

        Assert.Equal("ConfluencePagingStalled", error.ErrorId);
        Assert.Contains("repeats the one before", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, requests);
        Assert.Equal(2, records);
    }

    [Fact]
    public async Task Pages_Without_Events_That_Are_Not_The_Last_End_It_After_The_Documented_Number()
    {
        var pages = Enumerable.Range(0, 10).Select(i => Page($"{100 - i},{i}", $"l{i}")).ToArray();

        var (error, requests, _) = await ListAsync(pages);

        Assert.Equal("ConfluencePagingStalled", error.ErrorId);
        Assert.Equal(DataCenterEventPager.StalledPageLimit, requests);
    }
}
