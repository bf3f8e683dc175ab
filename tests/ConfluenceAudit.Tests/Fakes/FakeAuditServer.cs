using System.Globalization;
using System.Net;

namespace ConfluenceAudit.Tests.Fakes;

/// <summary>
/// An in-memory audit log for paging tests: <c>total</c> records, newest first ("record 0" is the newest),
/// served from GET /audit and /audit/since honouring start and limit, with the quirks the real API may show.
/// It logs what it served, so tests can check how a listing ended.
/// </summary>
internal sealed class FakeAuditServer
{
    public const long NewestCreationDate = 1772446500125L;
    private readonly object gate = new();
    private readonly List<(string Summary, long CreationDate)> log;
    private readonly List<Served> served = new();
    private int arrived;

    /// <param name="creationDate">The creation date of record i; <see cref="CreationDate"/> (one a second) when null.</param>
    public FakeAuditServer(int total, Func<int, long>? creationDate = null)
    {
        Total = total;
        log = Enumerable.Range(0, total).Select(i => (Summary(i), (creationDate ?? CreationDate)(i))).ToList();
    }

    /// <summary>One answered request: what was asked and how many records went back.</summary>
    public sealed record Served(int Start, int Limit, int Count);

    public int Total { get; }

    /// <summary>The server's own maximum page size: asking for more returns at most this many.</summary>
    public int? LimitCap { get; init; }

    /// <summary>Echo the capped limit in the body (else echo the limit asked for).</summary>
    public bool EchoCappedLimit { get; init; }

    /// <summary>Send the total number of records as <c>size</c> (else the page's count).</summary>
    public bool SizeIsTotal { get; init; }

    /// <summary>Ignore the requested limit and always send this many (a server that ignores limit).</summary>
    public int? IgnoreLimitAndSend { get; init; }

    /// <summary>Ignore start and always serve from the head (a broken server).</summary>
    public bool IgnoreStart { get; init; }

    /// <summary>Per request (0-based index), optionally send fewer records than otherwise: a short page mid-listing.</summary>
    public Func<int, int?>? ShortPage { get; init; }

    /// <summary>New records that arrive at the head after each of the first <see cref="ArrivalRequests"/> answered requests.</summary>
    public int ArrivalsPerRequest { get; init; }

    /// <summary>How many requests are followed by arrivals (a burst of activity while the log is read).</summary>
    public int ArrivalRequests { get; init; } = int.MaxValue;

    public IReadOnlyList<Served> Log
    {
        get
        {
            lock (gate)
            {
                return served.ToList();
            }
        }
    }

    public static string Summary(int index) => "record " + index.ToString(CultureInfo.InvariantCulture);

    public static long CreationDate(int index) => NewestCreationDate - (index * 1000L);

    public static List<string> Summaries(int from, int count) => Enumerable.Range(from, count).Select(Summary).ToList();

    public FakeHttpHandler CreateHandler() => new(Respond);

    public HttpResponseMessage Respond(HttpRequestMessage request)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (!path.EndsWith("/rest/api/audit", StringComparison.Ordinal) && !path.EndsWith("/rest/api/audit/since", StringComparison.Ordinal))
        {
            return Responses.Json("{\"message\":\"No such resource\"}", HttpStatusCode.NotFound);
        }

        var query = QueryString.Parse(request.RequestUri);
        var start = query.TryGetValue("start", out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : 0;
        var asked = query.TryGetValue("limit", out var l) ? int.Parse(l, CultureInfo.InvariantCulture) : 1000;
        var limit = LimitCap is int cap ? Math.Min(asked, cap) : asked;
        var count = IgnoreLimitAndSend ?? limit;
        lock (gate)
        {
            if (ShortPage?.Invoke(served.Count) is int shortCount)
            {
                count = Math.Min(count, shortCount);
            }

            var from = IgnoreStart ? 0 : start;
            count = Math.Max(0, Math.Min(count, log.Count - from));
            var records = log.Skip(from).Take(count).Select(r => Responses.Record(r.Summary, r.CreationDate)).ToList();
            served.Add(new Served(start, asked, count));
            for (var i = 0; served.Count <= ArrivalRequests && i < ArrivalsPerRequest; i++)
            {
                arrived++;
                log.Insert(0, ("arrived " + arrived.ToString(CultureInfo.InvariantCulture), NewestCreationDate + (arrived * 1000L)));
            }

            var echoedLimit = EchoCappedLimit ? limit : asked;
            return Responses.Json(Responses.Page(records, start, echoedLimit, SizeIsTotal ? log.Count : count));
        }
    }
}
