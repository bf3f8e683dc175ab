using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using ConfluenceAudit.Http;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>
/// Several page requests in flight must change nothing but speed: the same records in the same order as reading one
/// page after another, -First still asking for no more than it needs, at most the concurrency's worth of requests
/// past the end, and one request at a time once the server throttles.
/// </summary>
public class ConcurrentPagingTests
{
    /// <param name="asked">Receives the start of every request sent, answered or cancelled on its way.</param>
    private static async Task<(List<string> Summaries, int MaxInFlight)> ListAsync(FakeAuditServer server, int concurrency, int pageSize, ulong first = ulong.MaxValue, Func<int, TimeSpan>? delay = null, RetryPolicy? retry = null, ConcurrentQueue<int>? asked = null)
    {
        var inFlight = 0;
        var maxInFlight = 0;
        var requestNumber = 0;
        var handler = new FakeHttpHandler(async (request, token) =>
        {
            var number = Interlocked.Increment(ref requestNumber);
            asked?.Enqueue(int.Parse(QueryString.Parse(request.RequestUri!)["start"], CultureInfo.InvariantCulture));
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            try
            {
                await Task.Delay(delay?.Invoke(number) ?? TimeSpan.FromMilliseconds(20), token);
                return server.Respond(request);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        });
        using var client = TestClients.Create(handler, retry: retry);
        using var pager = new AuditRecordPager(client, TestClients.All(), 0, first, pageSize, concurrency);
        var (records, _) = await TestClients.ReadAllAsync(pager);
        return (records.Select(r => r.Summary).ToList(), maxInFlight);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public async Task Returns_Exactly_What_A_Sequential_Listing_Returns(int concurrency)
    {
        var sequential = await ListAsync(new FakeAuditServer(2345), 1, 100);
        var concurrent = await ListAsync(new FakeAuditServer(2345), concurrency, 100);

        Assert.Equal(FakeAuditServer.Summaries(0, 2345), sequential.Summaries);
        Assert.Equal(sequential.Summaries, concurrent.Summaries);
        Assert.Equal(1, sequential.MaxInFlight);
        Assert.True(concurrent.MaxInFlight > 1, "no two requests were ever in flight together");
        Assert.True(concurrent.MaxInFlight <= concurrency, $"{concurrent.MaxInFlight} requests in flight, more than {concurrency}");
    }

    [Fact]
    public async Task Answers_Arriving_Out_Of_Order_Are_Still_Written_In_Listing_Order()
    {
        // Later requests answer first: the pager must still hand the pages on newest first.
        var (summaries, _) = await ListAsync(new FakeAuditServer(1000), 4, 50, delay: n => TimeSpan.FromMilliseconds(40 - (n % 4 * 10)));

        Assert.Equal(FakeAuditServer.Summaries(0, 1000), summaries);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1050)]
    [InlineData(2345)]
    public async Task Over_A_Round_Trip_The_Concurrency_Is_Used_And_No_More_Goes_Past_The_End(int records)
    {
        // Every answer takes 20 ms, far longer than taking a page: the requests in flight must fill the concurrency, and
        // behind the last page no more than MaxConcurrency - 1 requests go past the end besides the one confirming it.
        var server = new FakeAuditServer(records);
        var asked = new ConcurrentQueue<int>();

        var (summaries, maxInFlight) = await ListAsync(server, 4, 100, asked: asked);

        Assert.Equal(FakeAuditServer.Summaries(0, records), summaries);
        Assert.Equal(4, maxInFlight);
        Assert.Equal(asked.Count, asked.Distinct().Count());
        Assert.Equal(1, asked.Count(start => start == records));
        var beyond = asked.Count(start => start > records);
        Assert.True(beyond <= 3, $"{beyond} requests beyond the one confirming the end");
    }

    [Fact]
    public async Task First_Asks_For_No_More_Than_It_Needs_With_Requests_In_Flight()
    {
        var server = new FakeAuditServer(5000);

        var (summaries, _) = await ListAsync(server, 4, 100, first: 250);

        Assert.Equal(FakeAuditServer.Summaries(0, 250), summaries);

        // Each page after the first repeats one record (the anchor); beyond that, nothing past the 250th is asked for.
        var asked = server.Log.Sum(s => s.Limit);
        Assert.True(asked <= 250 + server.Log.Count, $"asked for {asked} records in {server.Log.Count} requests to return 250");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_Capped_Server_Loses_Nothing_With_Requests_In_Flight(bool echoCappedLimit)
    {
        var (summaries, _) = await ListAsync(new FakeAuditServer(1234) { LimitCap = 70, EchoCappedLimit = echoCappedLimit }, 4, 1000);

        Assert.Equal(FakeAuditServer.Summaries(0, 1234), summaries);
    }

    [Fact]
    public async Task Records_Arriving_During_A_Concurrent_Listing_Are_Neither_Lost_Nor_Repeated()
    {
        var server = new FakeAuditServer(3000) { ArrivalsPerRequest = 7 };

        var (summaries, _) = await ListAsync(server, 4, 100);

        // Everything that existed when the listing started, once, in order; arrivals are newer and never repeated.
        var original = summaries.Where(s => !s.StartsWith("arrived", StringComparison.Ordinal)).ToList();
        Assert.Equal(FakeAuditServer.Summaries(0, 3000), original);
        Assert.Equal(summaries.Count, summaries.Distinct().Count());
    }

    [Fact]
    public async Task A_Throttled_Listing_Drops_To_One_Request_At_A_Time()
    {
        var server = new FakeAuditServer(3000);
        var throttled = 0;
        var inFlightAfterThrottle = 0;
        var maxAfterThrottle = 0;
        var handler = new FakeHttpHandler(async (request, token) =>
        {
            if (Interlocked.Increment(ref throttled) == 3)
            {
                var tooMany = Responses.Json("{\"message\":\"Rate limited\"}", HttpStatusCode.TooManyRequests);
                tooMany.Headers.TryAddWithoutValidation("Retry-After", "0");
                return tooMany;
            }

            var now = Volatile.Read(ref throttled) > 8 ? Interlocked.Increment(ref inFlightAfterThrottle) : 0;
            InterlockedMax(ref maxAfterThrottle, now);
            try
            {
                await Task.Delay(10, token);
                return server.Respond(request);
            }
            finally
            {
                if (now > 0)
                {
                    Interlocked.Decrement(ref inFlightAfterThrottle);
                }
            }
        });
        using var client = TestClients.Create(handler, retry: TestClients.InstantRetries(new List<TimeSpan>()));
        using var pager = new AuditRecordPager(client, TestClients.All(), 0, ulong.MaxValue, 100, maxConcurrency: 4);

        var (records, _) = await TestClients.ReadAllAsync(pager);

        Assert.Equal(FakeAuditServer.Summaries(0, 3000), records.Select(r => r.Summary).ToList());
        Assert.Equal(1, client.ThrottledResponses);
        Assert.True(maxAfterThrottle <= 1, $"{maxAfterThrottle} requests in flight after the server throttled");
    }
}
