using System.Globalization;
using ConfluenceAudit.Flavours;
using ConfluenceAudit.Http;
using ConfluenceAudit.Incremental;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>
/// IncrementalReader against a fake server that honours startDate/endDate (both inclusive, as the emulator does) and
/// lists newest first: the order it delivers in, the time windows it reads, the overlap it re-reads and the keys it
/// skips there, identical records, and a checkpoint taken after a partial delivery.
/// </summary>
public class IncrementalReaderTests
{
    private const long Base = 1_772_000_000_000L;
    private const long Day = 86_400_000L;
    private static readonly Uri Site = TestClients.CloudBase;

    /// <summary>Every record the reader gives, each marked delivered as it is taken, every batch completed.</summary>
    private static async Task<List<ConfluenceAuditRecord>> DeliverAllAsync(IncrementalReader reader)
    {
        var delivered = new List<ConfluenceAuditRecord>();
        for (var windows = 0; windows < 1000; windows++)
        {
            var batch = await reader.NextBatchAsync(NullOperationLog.Instance, CancellationToken.None);
            if (batch is null)
            {
                return delivered;
            }

            for (var i = 0; i < batch.Count; i++)
            {
                delivered.Add(batch.Records[i]);
                reader.MarkDelivered(batch, i);
            }

            reader.Complete(batch);
        }

        throw new InvalidOperationException("The reader did not finish after 1000 windows.");
    }

    /// <summary>A checkpoint as the next run reads it: written to a file and loaded back.</summary>
    private static Checkpoint RoundTrip(Checkpoint checkpoint)
    {
        var path = Path.Combine(Path.GetTempPath(), "ca-reader-" + Guid.NewGuid().ToString("N") + ".checkpoint");
        try
        {
            checkpoint.Prepare(path).Commit();
            return Checkpoint.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IncrementalReader ReaderFrom(AuditHttpClient client, Checkpoint checkpoint, TimeSpan overlap) =>
        new(new AuditResourceFlavour(client, ConfluenceDeployment.Cloud, 1), checkpoint.SearchString, null, checkpoint.Position, checkpoint.Floor, checkpoint.Delivered, overlap, 1000);

    private static DateTimeOffset At(long epochMs) => DateTimeOffset.FromUnixTimeMilliseconds(epochMs);

    private static List<string> Summaries(IEnumerable<ConfluenceAuditRecord> records) => records.Select(r => r.Summary ?? "").ToList();

    private static void AssertOldestFirst(List<ConfluenceAuditRecord> records)
    {
        for (var i = 1; i < records.Count; i++)
        {
            Assert.True(records[i].CreationDate >= records[i - 1].CreationDate,
                $"record {i} ({records[i].Summary}, {records[i].CreationDate:O}) is older than record {i - 1} ({records[i - 1].Summary}, {records[i - 1].CreationDate:O})");
        }
    }

    [Fact]
    public async Task Deliver_RangeOfSeveralWindows_EveryRecordOnceOldestFirst()
    {
        // 41 records over 12 days, inserted in random order; the reader starts with a one-day window and widens it.
        var server = new DatedAuditServer();
        var random = new Random(5);
        foreach (var i in Enumerable.Range(0, 41).OrderBy(_ => random.Next()))
        {
            server.Add("r" + i.ToString("D2", CultureInfo.InvariantCulture), Base + (i * 7 * 3_600_000L));
        }

        using var client = TestClients.Create(server.CreateHandler());
        var reader = new IncrementalReader(new AuditResourceFlavour(client, ConfluenceDeployment.Cloud, 1), null, null, At(Base - 1), DateTimeOffset.FromUnixTimeMilliseconds(0), Array.Empty<DeliveredKey>(), TimeSpan.FromMinutes(5), 1000);
        reader.Begin(At(Base + (13 * Day)), fromCheckpoint: false);
        var delivered = await DeliverAllAsync(reader);

        Assert.Equal(Enumerable.Range(0, 41).Select(i => "r" + i.ToString("D2", CultureInfo.InvariantCulture)).ToList(), Summaries(delivered));
        AssertOldestFirst(delivered);
        var windows = server.Windows.Distinct().ToList();
        Assert.True(windows.Count >= 3, $"expected the range to be read in several windows, got {windows.Count}");
        Assert.Equal(41, reader.RecordsDelivered);
        Assert.Equal(At(Base + (13 * Day)), reader.Position);
    }

    [Fact]
    public async Task Deliver_RecordsOnTheSharedBoundaryMillisecond_ReadTwiceDeliveredOnce()
    {
        // The first window is [P, P + 1 day]; the next starts at P + 1 day, so that millisecond is read by both.
        var p = Base;
        var boundary = p + Day;
        var server = new DatedAuditServer();
        server.Add("before", boundary - 1);
        server.Add("edge-a", boundary);
        server.Add("twin", boundary);
        server.Add("twin", boundary);
        server.Add("edge-b", boundary);
        server.Add("after", boundary + 1);
        server.Add("later", boundary + Day);

        using var client = TestClients.Create(server.CreateHandler());
        var reader = new IncrementalReader(new AuditResourceFlavour(client, ConfluenceDeployment.Cloud, 1), null, null, At(p), DateTimeOffset.FromUnixTimeMilliseconds(0), Array.Empty<DeliveredKey>(), TimeSpan.FromMinutes(5), 1000);
        reader.Begin(At(p + (3 * Day)), fromCheckpoint: false);
        var delivered = await DeliverAllAsync(reader);

        Assert.Contains(server.Windows, w => w.End == boundary);
        Assert.Contains(server.Windows, w => w.Start == boundary);
        Assert.Equal(new[] { "before", "edge-a", "twin", "twin", "edge-b", "after", "later" }, Summaries(delivered));
        Assert.True(reader.DuplicatesSkipped >= 4, $"the boundary's 4 records should have been read again and skipped; skipped {reader.DuplicatesSkipped}");
    }

    [Fact]
    public async Task Deliver_IdenticalRecordArrivesAfterItsTwinWasDelivered_TheSecondIsStillDelivered()
    {
        var t = Base + 30_000;
        var server = new DatedAuditServer();
        server.Add("other", t - 5_000);
        server.Add("twin", t);

        using var client = TestClients.Create(server.CreateHandler());
        var first = new IncrementalReader(new AuditResourceFlavour(client, ConfluenceDeployment.Cloud, 1), null, null, At(Base), DateTimeOffset.FromUnixTimeMilliseconds(0), Array.Empty<DeliveredKey>(), TimeSpan.FromSeconds(60), 1000);
        first.Begin(At(t + 1_000), fromCheckpoint: false);
        Assert.Equal(new[] { "other", "twin" }, Summaries(await DeliverAllAsync(first)));
        var checkpoint = RoundTrip(first.ToCheckpoint(Site));
        Assert.Contains(checkpoint.Delivered, k => k.Count == 1);

        // A record identical in every field (same content, same millisecond) arrives late.
        server.Add("twin", t);
        var second = ReaderFrom(client, checkpoint, TimeSpan.FromSeconds(60));
        second.Begin(At(t + 2_000), fromCheckpoint: true);
        Assert.Equal(new[] { "twin" }, Summaries(await DeliverAllAsync(second)));
        Assert.Equal(2, second.DuplicatesSkipped);

        var checkpoint2 = RoundTrip(second.ToCheckpoint(Site));
        Assert.Contains(checkpoint2.Delivered, k => k.Count == 2);
        var third = ReaderFrom(client, checkpoint2, TimeSpan.FromSeconds(60));
        third.Begin(At(t + 3_000), fromCheckpoint: true);
        Assert.Empty(await DeliverAllAsync(third));
        Assert.Equal(3, third.DuplicatesSkipped);
    }

    [Fact]
    public async Task Deliver_FromCheckpoint_ReReadsTheOverlapAndSkipsDeliveredKeys()
    {
        var p = Base + Day;
        var overlap = TimeSpan.FromSeconds(60);
        var server = new DatedAuditServer();
        for (var i = 0; i < 10; i++)
        {
            server.Add("old" + i.ToString(CultureInfo.InvariantCulture), p - 30_000 + (i * 1_000));
        }

        using var client = TestClients.Create(server.CreateHandler());
        var first = new IncrementalReader(new AuditResourceFlavour(client, ConfluenceDeployment.Cloud, 1), null, null, At(p - Day), DateTimeOffset.FromUnixTimeMilliseconds(0), Array.Empty<DeliveredKey>(), overlap, 1000);
        first.Begin(At(p), fromCheckpoint: false);
        Assert.Equal(10, (await DeliverAllAsync(first)).Count);
        var checkpoint = RoundTrip(first.ToCheckpoint(Site));
        Assert.Equal(p, checkpoint.Position.ToUnixTimeMilliseconds());
        Assert.Equal(10, checkpoint.Delivered.Count);

        server.Add("new0", p + 1_000);
        server.Add("new1", p + 1_000);
        server.Add("new2", p + 2_000);
        server.ClearWindows();
        var second = ReaderFrom(client, checkpoint, overlap);
        second.Begin(At(p + 10_000), fromCheckpoint: true);
        var delivered = await DeliverAllAsync(second);

        Assert.Equal(p - 60_000, server.Windows[0].Start);
        Assert.Equal(new[] { "new0", "new1", "new2" }, Summaries(delivered));
        Assert.Equal(10, second.DuplicatesSkipped);
    }

    [Fact]
    public async Task Deliver_LateArrivalsInsideTheOverlap_AreDeliveredOldestFirst()
    {
        var p = Base + Day;
        var overlap = TimeSpan.FromSeconds(60);
        var server = new DatedAuditServer();
        server.Add("delivered-at-p", p);
        server.Add("delivered-before", p - 20_000);

        using var client = TestClients.Create(server.CreateHandler());
        var first = new IncrementalReader(new AuditResourceFlavour(client, ConfluenceDeployment.Cloud, 1), null, null, At(p - Day), DateTimeOffset.FromUnixTimeMilliseconds(0), Array.Empty<DeliveredKey>(), overlap, 1000);
        first.Begin(At(p), fromCheckpoint: false);
        Assert.Equal(2, (await DeliverAllAsync(first)).Count);
        var checkpoint = RoundTrip(first.ToCheckpoint(Site));

        // Dated before the checkpoint (inside the overlap), and one sharing the checkpoint's millisecond.
        server.Add("late-40s", p - 40_000);
        server.Add("late-same-ms-as-delivered", p - 20_000);
        server.Add("late-at-p", p);
        server.Add("new", p + 5_000);
        var second = ReaderFrom(client, checkpoint, overlap);
        second.Begin(At(p + 10_000), fromCheckpoint: true);
        var delivered = await DeliverAllAsync(second);

        Assert.Equal(new[] { "late-40s", "late-same-ms-as-delivered", "late-at-p", "new" }, Summaries(delivered));
        AssertOldestFirst(delivered);
    }

    [Fact]
    public async Task ToCheckpoint_AfterAPartialDelivery_ANewReaderDeliversExactlyTheRest()
    {
        // Ten records, three sharing a millisecond (two of them identical twins) right where the delivery stops.
        var t = Base + Day;
        var dates = new long[] { t, t + 1, t + 2, t + 3, t + 3, t + 3, t + 4, t + 5, t + 5, t + 6 };
        var names = new[] { "a", "b", "c", "d", "twin", "twin", "g", "h", "i", "j" };
        var server = new DatedAuditServer();
        for (var i = 0; i < dates.Length; i++)
        {
            server.Add(names[i], dates[i]);
        }

        using var client = TestClients.Create(server.CreateHandler());
        var end = At(t + 1_000);
        var first = new IncrementalReader(new AuditResourceFlavour(client, ConfluenceDeployment.Cloud, 1), null, null, At(t - 1_000), DateTimeOffset.FromUnixTimeMilliseconds(0), Array.Empty<DeliveredKey>(), TimeSpan.FromSeconds(30), 1000);
        first.Begin(end, fromCheckpoint: false);
        var batch = await first.NextBatchAsync(NullOperationLog.Instance, CancellationToken.None);
        Assert.NotNull(batch);
        Assert.Equal(names, Summaries(batch!.Records));

        // The pipeline took the first five (up to the first twin) and then stopped: the batch is not completed.
        for (var i = 0; i < 5; i++)
        {
            first.MarkDelivered(batch, i);
        }

        var checkpoint = RoundTrip(first.ToCheckpoint(Site));
        Assert.True(checkpoint.Position.ToUnixTimeMilliseconds() <= t + 3, $"the checkpoint moved to {checkpoint.Position.ToUnixTimeMilliseconds() - t} ms past t, beyond what was delivered");

        var second = ReaderFrom(client, checkpoint, TimeSpan.FromSeconds(30));
        second.Begin(end, fromCheckpoint: true);
        var rest = await DeliverAllAsync(second);
        Assert.Equal(new[] { "twin", "g", "h", "i", "j" }, Summaries(rest));
        Assert.Equal(5, second.DuplicatesSkipped);
    }

    [Fact]
    public async Task ToCheckpoint_AfterPartialDeliveryWithZeroOverlap_ANewReaderDeliversExactlyTheRest()
    {
        // Without an overlap, the next read starts at the checkpoint's own millisecond: records of that millisecond
        // that were not delivered must still come, those that were must not.
        var t = Base + Day;
        var server = new DatedAuditServer();
        server.Add("a", t);
        server.Add("b", t + 3);
        server.Add("c", t + 3);
        server.Add("d", t + 4);

        using var client = TestClients.Create(server.CreateHandler());
        var end = At(t + 1_000);
        var first = new IncrementalReader(new AuditResourceFlavour(client, ConfluenceDeployment.Cloud, 1), null, null, At(t - 1_000), DateTimeOffset.FromUnixTimeMilliseconds(0), Array.Empty<DeliveredKey>(), TimeSpan.Zero, 1000);
        first.Begin(end, fromCheckpoint: false);
        var batch = await first.NextBatchAsync(NullOperationLog.Instance, CancellationToken.None);
        Assert.NotNull(batch);
        first.MarkDelivered(batch!, 0);
        first.MarkDelivered(batch!, 1);

        var second = ReaderFrom(client, RoundTrip(first.ToCheckpoint(Site)), TimeSpan.Zero);
        second.Begin(end, fromCheckpoint: true);
        Assert.Equal(new[] { "c", "d" }, Summaries(await DeliverAllAsync(second)));
    }

    /// <summary>
    /// An audit log that honours startDate and endDate (epoch ms, both inclusive), lists newest first (equal dates:
    /// the later insertion first, as the emulator does) and pages by start/limit. Logs each listing's date window.
    /// </summary>
    private sealed class DatedAuditServer
    {
        private readonly object gate = new();
        private readonly List<(string Json, long Date, long Sequence)> records = new();
        private readonly List<(long? Start, long? End)> windows = new();
        private long sequence;

        /// <summary>The startDate/endDate of each first-page request (start=0), in order.</summary>
        public List<(long? Start, long? End)> Windows
        {
            get
            {
                lock (gate)
                {
                    return windows.ToList();
                }
            }
        }

        /// <summary>Two calls with the same summary and date make records identical in every field.</summary>
        public void Add(string summary, long epochMs)
        {
            lock (gate)
            {
                records.Add((Responses.Record(summary, epochMs), epochMs, sequence++));
            }
        }

        public void ClearWindows()
        {
            lock (gate)
            {
                windows.Clear();
            }
        }

        public FakeHttpHandler CreateHandler() => new(Respond);

        private HttpResponseMessage Respond(HttpRequestMessage request)
        {
            var query = QueryString.Parse(request.RequestUri!);
            long? from = query.TryGetValue("startDate", out var s) ? long.Parse(s, CultureInfo.InvariantCulture) : null;
            long? to = query.TryGetValue("endDate", out var e) ? long.Parse(e, CultureInfo.InvariantCulture) : null;
            var start = query.TryGetValue("start", out var st) ? int.Parse(st, CultureInfo.InvariantCulture) : 0;
            var limit = query.TryGetValue("limit", out var l) ? int.Parse(l, CultureInfo.InvariantCulture) : 1000;
            lock (gate)
            {
                if (start == 0)
                {
                    windows.Add((from, to));
                }

                var page = records
                    .Where(r => (from is null || r.Date >= from) && (to is null || r.Date <= to))
                    .OrderByDescending(r => r.Date).ThenByDescending(r => r.Sequence)
                    .Skip(start).Take(limit).Select(r => r.Json).ToList();
                return Responses.Json(Responses.Page(page, start, limit));
            }
        }
    }
}
