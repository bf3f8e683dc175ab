using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Http
{
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
    /// <item>Pages that bring nothing new again and again mean the server does not move through the list: that is
    /// reported instead of looping forever.</item>
    /// </list>
    /// </summary>
    internal sealed class AuditRecordPager
    {
        private const int StalledPageLimit = 5;
        private readonly AuditApiClient client;
        private readonly AuditQuery query;
        private readonly int pageSize;
        private readonly HashSet<string> keysAtAnchorTime = new HashSet<string>(StringComparer.Ordinal);
        private int nextStart;
        private ulong remaining;
        private bool finished;
        private bool overlapPages = true;
        private bool confirmingEnd;
        private string? anchorKey;
        private long? anchorTime;
        private int pagesWithoutProgress;

        public AuditRecordPager(AuditApiClient client, AuditQuery query, ulong skip, ulong first, int pageSize)
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
            nextStart = (int)skip;
            remaining = first;
        }

        public int PagesRequested { get; private set; }

        public long RecordsReturned { get; private set; }

        /// <summary>Records the list shifted by while it was read, skipped because they had been returned already.</summary>
        public long DuplicatesSkipped { get; private set; }

        /// <summary>The next records, or null when the listing is complete. Never an empty list.</summary>
        public async Task<IReadOnlyList<ConfluenceAuditRecord>?> NextPageAsync(IOperationLog log, CancellationToken cancellationToken)
        {
            while (!finished && remaining > 0)
            {
                var overlap = anchorKey is not null && overlapPages && !confirmingEnd ? 1 : 0;
                var start = nextStart - overlap;

                // -First asks for no more than it still needs (plus the anchor).
                var limit = (int)Math.Min((ulong)pageSize, remaining + (ulong)overlap);
                var page = await client.GetRecordsPageAsync(query, start, limit, log, cancellationToken).ConfigureAwait(false);
                PagesRequested++;
                if (page.Received == 0)
                {
                    finished = true;
                    break;
                }

                if (page.Received < limit)
                {
                    log.Verbose(string.Format(CultureInfo.InvariantCulture,
                        "Asked for {0} records from {1} and received {2}: the server limits its pages; continuing from {3}.", limit, start, page.Received, start + page.Received));
                }

                if (page.Limit is int echoed && echoed <= 1)
                {
                    // A server that sends one record a page leaves no room for the anchor.
                    overlapPages = false;
                }

                nextStart = start + page.Received;
                var records = page.Records;
                var fresh = overlap == 1 ? AfterAnchor(records, log) : anchorKey is null ? records : NewerThanAnchorRemoved(records);
                confirmingEnd = false;
                if (fresh.Count == 0)
                {
                    if (overlap == 1 && page.Received == 1)
                    {
                        // Only the anchor came back: probably the end, but a server may send a short page anywhere,
                        // so ask once more from past the anchor; only an empty page ends the listing.
                        confirmingEnd = true;
                        continue;
                    }

                    if (++pagesWithoutProgress >= StalledPageLimit)
                    {
                        throw new ConfluenceApiException("ConfluencePagingStalled", FailureKind.InvalidResponse,
                            $"The listing stopped making progress: {StalledPageLimit} pages in a row (the last from start {start}) brought no record that had not been returned already. " +
                            $"{RecordsReturned} records were returned. The server may be ignoring 'start', or records are arriving faster than they can be read; try again, or narrow the range with -StartDate/-EndDate.");
                    }

                    continue;
                }

                pagesWithoutProgress = 0;
                if ((ulong)fresh.Count > remaining)
                {
                    fresh = Slice(fresh, 0, (int)remaining);
                }

                Remember(fresh);
                remaining -= (ulong)fresh.Count;
                RecordsReturned += fresh.Count;
                return fresh;
            }

            return null;
        }

        /// <summary>The records after the anchor; when the anchor is not on the page, those older than it.</summary>
        private IReadOnlyList<ConfluenceAuditRecord> AfterAnchor(IReadOnlyList<ConfluenceAuditRecord> records, IOperationLog log)
        {
            for (var i = 0; i < records.Count; i++)
            {
                if (RecordKey.Of(records[i]) == anchorKey)
                {
                    if (i > 0)
                    {
                        DuplicatesSkipped += i;
                        log.Verbose(string.Format(CultureInfo.InvariantCulture,
                            "{0} records arrived while listing and shifted the pages; skipped the {0} already returned.", i));
                    }

                    return Slice(records, i + 1, records.Count - i - 1);
                }
            }

            var fresh = NewerThanAnchorRemoved(records);
            log.Verbose(string.Format(CultureInfo.InvariantCulture,
                "The list moved by more than a page while listing; skipped {0} records already returned, by their dates and content.", records.Count - fresh.Count));
            return fresh;
        }

        private List<ConfluenceAuditRecord> NewerThanAnchorRemoved(IReadOnlyList<ConfluenceAuditRecord> records)
        {
            var fresh = new List<ConfluenceAuditRecord>(records.Count);
            foreach (var record in records)
            {
                var time = record.CreationDate?.ToUnixTimeMilliseconds();
                var returned = time is long t && anchorTime is long anchor
                    ? t > anchor || (t == anchor && keysAtAnchorTime.Contains(RecordKey.Of(record)))
                    : RecordKey.Of(record) == anchorKey;
                if (!returned)
                {
                    fresh.Add(record);
                }
            }

            DuplicatesSkipped += records.Count - fresh.Count;
            return fresh;
        }

        /// <summary>The last record returned becomes the anchor; the keys of its millisecond tell its neighbours apart.</summary>
        private void Remember(IReadOnlyList<ConfluenceAuditRecord> returned)
        {
            var last = returned[returned.Count - 1];
            var lastTime = last.CreationDate?.ToUnixTimeMilliseconds();
            if (lastTime != anchorTime)
            {
                keysAtAnchorTime.Clear();
            }

            anchorKey = RecordKey.Of(last);
            anchorTime = lastTime;
            for (var i = returned.Count - 1; i >= 0 && returned[i].CreationDate?.ToUnixTimeMilliseconds() == lastTime; i--)
            {
                keysAtAnchorTime.Add(RecordKey.Of(returned[i]));
            }
        }

        private static IReadOnlyList<ConfluenceAuditRecord> Slice(IReadOnlyList<ConfluenceAuditRecord> records, int from, int count)
        {
            if (from == 0 && count == records.Count)
            {
                return records;
            }

            var slice = new List<ConfluenceAuditRecord>(count);
            for (var i = from; i < from + count; i++)
            {
                slice.Add(records[i]);
            }

            return slice;
        }
    }
}
