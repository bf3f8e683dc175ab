using System.Globalization;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>
/// Records identical in every field (the same event logged twice in one millisecond) at the end of a page, while new
/// records arrive at the head between requests: the copies cannot be told apart by content, so the page after them
/// must repeat every record of their millisecond and count copies, or a copy is returned twice or lost.
/// </summary>
public sealed class IdenticalRecordsPagingTests
{
    private const long Base = 1_772_000_000_000L;

    [Theory]
    [InlineData(2, 0)]
    [InlineData(2, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 2)]
    [InlineData(3, 4)]
    public async Task Copies_At_A_Page_Boundary_Are_Returned_As_Often_As_They_Exist(int copies, int arrivingPerRequest)
    {
        // 30 records, newest first; the copies end the first page of 10, followed by a third record of their millisecond.
        var log = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var time = i >= 10 - copies && i <= 10 ? Base - 10_000 : Base - (i * 1_000);
            log.Add(i >= 10 - copies && i < 10 ? Responses.Record("copy", time) : Responses.Record("r" + i.ToString("D2", CultureInfo.InvariantCulture), time));
        }

        var arrived = 0;
        var handler = new FakeHttpHandler(request =>
        {
            var query = QueryString.Parse(request.RequestUri!);
            var start = int.Parse(query["start"], CultureInfo.InvariantCulture);
            var limit = int.Parse(query["limit"], CultureInfo.InvariantCulture);
            string page;
            lock (log)
            {
                page = Responses.Page(log.Skip(start).Take(limit), start, limit);
                for (var i = 0; i < arrivingPerRequest; i++)
                {
                    log.Insert(0, Responses.Record("new" + (arrived++).ToString("D3", CultureInfo.InvariantCulture), Base + 1_000 + arrived));
                }
            }

            return Responses.Json(page);
        });
        using var client = TestClients.Create(handler);
        using var pager = new AuditRecordPager(client, TestClients.All(), 0, ulong.MaxValue, 10, 1);

        var (records, _) = await TestClients.ReadAllAsync(pager);

        var old = records.Where(r => !r.Summary!.StartsWith("new", StringComparison.Ordinal)).Select(r => r.Summary).ToList();
        Assert.Equal(copies, old.Count(s => s == "copy"));
        Assert.Equal(30 - copies, old.Count(s => s != "copy"));
        Assert.Equal(old.Count, old.Distinct().Count() + copies - 1);
    }
}
