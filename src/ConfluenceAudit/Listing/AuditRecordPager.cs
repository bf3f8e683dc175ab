using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Http;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Listing;

/// <summary>
/// Walks a newest-first listing with start/limit and returns every record exactly once, even while the list changes.
/// <list type="bullet">
/// <item>The server may return fewer records than asked for while more remain (its own cap on limit), so start
/// advances by what actually arrived and only an empty page ends the listing; size and the echoed limit are
/// never trusted to mean "done".</item>
/// <item>Records that arrive at the head push everything to higher offsets. Each page after the first starts one
/// record early, at the last record already returned (the anchor): where the anchor turns up tells how far the
/// list shifted, and what stands before it was returned already. When the anchor is not on the page (the list
/// shifted by more than a page), the order decides: a record newer than the anchor was returned already, and one
/// from the anchor's own millisecond was if its content key was returned.</item>
/// <item>A short page may be the end or a server's whim: one request from right after it (no more) tells, alone,
/// so a listing whose first page is short costs two requests. Pages are planned ahead only behind pages that are
/// whole or still on their way, never behind a short one that has arrived, and never more than MaxConcurrency at
/// once: at most MaxConcurrency - 1 requests go past the end besides the one that confirms it, and fewer when the
/// pages come back faster than the caller takes them. (Holding one back to count the confirming one among them
/// would carry a page fewer in every round trip.)</item>
/// <item>Progress guard: a page of old records answered for another start than asked, or <see cref="StalledPageLimit"/>
/// pages in a row that bring nothing new where the offset says there must be records, end the listing with
/// ConfluencePagingStalled instead of looping, whatever the server says.</item>
/// </list>
/// </summary>
internal sealed class AuditRecordPager : IAuditRecordSource
{
    /// <summary>Pages in a row without a new record after which the listing is reported as stalled.</summary>
    public const int StalledPageLimit = 5;
    private readonly AuditHttpClient client;
    private readonly AuditQuery query;
    private readonly int pageSize;
    private readonly ListingAnchor anchor = new ListingAnchor();
    private readonly Queue<PendingPage> inFlight = new Queue<PendingPage>();
    private readonly long throttledAtStart;
    private int concurrency;
    private int requestSize;
    private int nextStart;
    private ulong remaining;
    private bool finished;
    private bool overlapPages = true;
    private bool confirmingEnd;
    private bool lastPageFull;
    private int lastReceived = -1;
    private int pagesWithoutProgress;

    /// <param name="maxConcurrency">Requests kept in flight at once; 1 reads one page after the other.</param>
    public AuditRecordPager(AuditHttpClient client, AuditQuery query, ulong skip, ulong first, int pageSize, int maxConcurrency)
    {
        if (pageSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "The page size must be at least 1.");
        }

        if (skip > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(skip), skip, $"The API cannot skip more than {int.MaxValue} records.");
        }

        this.client = client;
        this.query = query;
        this.pageSize = pageSize;
        requestSize = pageSize;
        concurrency = Math.Max(1, maxConcurrency);
        throttledAtStart = client.ThrottledResponses;
        nextStart = (int)skip;
        remaining = first;
    }

    public int PagesRequested { get; private set; }

    public long RecordsReturned { get; private set; }

    /// <summary>Records the list shifted by while it was read, skipped because they had been returned already.</summary>
    public long DuplicatesSkipped => anchor.DuplicatesSkipped;

    /// <summary>
    /// The next records, or null when the listing is complete. Never an empty list. Before returning, the requests
    /// for the following pages are already on their way, so they download while the caller writes these records.
    /// </summary>
    public async Task<IReadOnlyList<ConfluenceAuditRecord>?> NextPageAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        while (!finished && remaining > 0)
        {
            if (inFlight.Count == 0)
            {
                // The pages in flight were planned when the last page was taken; only a listing with none asks here.
                Plan(log, cancellationToken);
            }

            var pending = inFlight.Dequeue();
            var page = await pending.Response.ConfigureAwait(false);
            if (pending.Start + pending.Overlap != nextStart || pending.Overlap != DesiredOverlap())
            {
                // Planned on a guess that the pages before it disproved (a short page, the end): ask again.
                await DiscardInFlightAsync().ConfigureAwait(false);
                continue;
            }

            if (pending.PlannedAhead && pending.Overlap >= 1 && !anchor.IsFirstOf(page.Records, pending.Overlap))
            {
                // The list moved while pages were read side by side, so a page may have been served before the one
                // ahead of it and miss what lies between: read this stretch again, one page at a time from now on.
                concurrency = 1;
                await DiscardInFlightAsync().ConfigureAwait(false);
                log.Verbose("Records arrived while listing: reading one page at a time from now on, so none is missed or repeated.");
                continue;
            }

            var fresh = Accept(pending, page, log);
            if (confirmingEnd)
            {
                // Pages planned on the guess that this one was whole are of no use: only the confirming request counts.
                await DiscardInFlightAsync().ConfigureAwait(false);
            }

            if (fresh is null)
            {
                continue;
            }

            Plan(log, cancellationToken);
            return fresh;
        }

        DiscardInFlight();
        return null;
    }

    public void Dispose() => DiscardInFlight();


    /// <summary>Takes one page in listing order; null when it brought nothing new (the caller asks for the next).</summary>
    private IReadOnlyList<ConfluenceAuditRecord>? Accept(PendingPage pending, AuditPage page, IOperationLog log)
    {
        if (page.Received == 0)
        {
            finished = true;
            return null;
        }

        var cappedWhole = page.Limit is int cap && cap >= 1 && cap < pending.Limit && page.Received == cap;
        if (page.Received < pending.Limit)
        {
            log.Verbose(string.Format(CultureInfo.InvariantCulture,
                "Asked for {0} records from {1} and received {2}: the server limits its pages; continuing from {3}.", pending.Limit, pending.Start, page.Received, pending.Start + page.Received));
            if (page.Limit is int echoed && echoed >= 2 && echoed < pending.Limit)
            {
                // The server says what it caps pages at: ask for that much, so pages come back whole and can be planned ahead.
                requestSize = echoed;
            }
        }

        if (page.Limit is int tiny && tiny <= 1)
        {
            // A server that sends one record a page leaves no room for the anchor.
            overlapPages = false;
        }

        if (client.ThrottledResponses != throttledAtStart && concurrency > 1)
        {
            concurrency = 1;
            log.Verbose("The server is throttling: reading one page at a time from now on.");
        }

        // A short page of a new length may be the end; one of the length before is a cap the server does not state.
        var looksLast = page.Received < pending.Limit && !cappedWhole && page.Received != lastReceived;
        if (page.Received == 1 && lastReceived == 1 && pending.Limit > 1)
        {
            // One record a page, unstated: the anchor would fill every page, so pages no longer overlap.
            overlapPages = false;
        }

        lastReceived = page.Received;
        lastPageFull = page.Received >= pending.Limit || cappedWhole;
        nextStart = pending.Start + page.Received;
        var records = page.Records;
        var fresh = pending.Overlap >= 1 ? anchor.After(records, log) : anchor.IsSet ? anchor.NewerRemoved(records) : records;
        var wasConfirming = confirmingEnd;
        confirmingEnd = false;
        if (fresh.Count == 0)
        {
            if (page.Received < pending.Limit && !cappedWhole && (wasConfirming || pending.Overlap == 0) && anchor.IsSet)
            {
                // The request from right after a short page brought nothing new on a short page: the end.
                finished = true;
                return null;
            }

            if (page.Start is int echoedStart && echoedStart != pending.Start)
            {
                throw Stalled($"the server answered for start {echoedStart} when asked for start {pending.Start}, with records returned already.");
            }

            if (++pagesWithoutProgress >= StalledPageLimit)
            {
                throw Stalled($"{StalledPageLimit} pages in a row (the last from start {pending.Start}) brought no record that had not been returned already. " +
                    "The server may be ignoring 'start', or records are arriving faster than they can be read.");
            }

            confirmingEnd = looksLast;
            return null;
        }

        // A short page may be the end of the list; as a server may send a short page anywhere, one request from right
        // after it (and nothing else) confirms.
        confirmingEnd = looksLast;
        pagesWithoutProgress = 0;
        if ((ulong)fresh.Count > remaining)
        {
            fresh = ListingAnchor.Slice(fresh, 0, (int)remaining);
        }

        anchor.Remember(fresh);
        remaining -= (ulong)fresh.Count;
        RecordsReturned += fresh.Count;
        return fresh;
    }

    private ConfluenceApiException Stalled(string problem) =>
        HttpFailures.PagingStalled("listing", PagesRequested, problem, $"{RecordsReturned} records were returned.");

    /// <summary>
    /// Keeps up to MaxConcurrency requests in flight, answers not yet taken included. Pages after a whole one are
    /// planned ahead on the guess that the ones before them come back whole too; each page starts at the last
    /// record of the one before (the anchor). -First is respected: the requests in flight never ask for more new
    /// records than are still wanted.
    /// </summary>
    private void Plan(IOperationLog log, CancellationToken cancellationToken)
    {
        var start = nextStart;
        ulong planned = 0;
        foreach (var pending in inFlight)
        {
            start = pending.Start + pending.Limit;
            planned += (ulong)(pending.Limit - pending.Overlap);
        }

        while (!finished && inFlight.Count < concurrency && planned < remaining)
        {
            if (inFlight.Count > 0 && (!lastPageFull || confirmingEnd || ShortPageWaiting()))
            {
                // Guess where the next pages start only after whole pages; after a short one, only the confirming request.
                break;
            }

            // A page planned behind another starts at that one's last record, the anchor it will have by then.
            var overlap = inFlight.Count > 0 && overlapPages && !confirmingEnd ? 1 : DesiredOverlap();
            var from = start - overlap;
            var limit = (int)Math.Min((ulong)requestSize, remaining - planned + (ulong)overlap);
            if (limit <= overlap)
            {
                break;
            }

            var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var response = AuditPage.ReadAsync(client, query, from, limit, log, cancel.Token);
            inFlight.Enqueue(new PendingPage(from, limit, overlap, response, cancel) { PlannedAhead = inFlight.Count > 0 });
            PagesRequested++;
            start = from + limit;
            planned += (ulong)(limit - overlap);
            if (!anchor.IsSet)
            {
                break; // the first page tells how the server pages (its cap, a short list): plan ahead only after it
            }
        }
    }

    /// <summary>Whether a page that has arrived but was not taken yet is short: it may be the end, so nothing is planned behind it.</summary>
    private bool ShortPageWaiting()
    {
        foreach (var pending in inFlight)
        {
            if (pending.Response.Status == TaskStatus.RanToCompletion && pending.Response.Result.Received < pending.Limit)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// How many records a page repeats: the anchor; or, when the anchor has identical copies among the records returned
    /// in its millisecond (they cannot be told apart by content), all of that millisecond's records, so that counting
    /// copies tells exactly which were returned however far the list shifted. Records merely sharing the millisecond
    /// need no more than the anchor, so pages planned ahead on one record of overlap stay valid.
    /// </summary>
    private int DesiredOverlap() =>
        !anchor.IsSet || !overlapPages || confirmingEnd ? 0 : anchor.NeedsWholeGroup && anchor.GroupSize < requestSize / 2 ? anchor.GroupSize : 1;

    /// <summary>Cancels the requests in flight and waits until they are gone, so the next ones never exceed the concurrency.</summary>
    private async Task DiscardInFlightAsync()
    {
        var discarded = new List<Task>(inFlight.Count);
        foreach (var pending in inFlight)
        {
            discarded.Add(pending.Response);
        }

        DiscardInFlight();
        try
        {
            await Task.WhenAll(discarded).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException || exception is ConfluenceApiException)
        {
            // Cancelled or failed: either way, nobody needs these answers.
        }
    }

    private void DiscardInFlight()
    {
        while (inFlight.Count > 0)
        {
            var pending = inFlight.Dequeue();
            pending.Cancel.Cancel();

            // Nobody will read these answers: observe their failures so they are not reported as unobserved.
            _ = pending.Response.ContinueWith(task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            _ = pending.Response.ContinueWith(_ => pending.Cancel.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }
}
