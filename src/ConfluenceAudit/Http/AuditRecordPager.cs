using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Http
{
    /// <summary>
    /// Walks a listing page by page with start/limit. The server may return fewer records than asked for
    /// while more remain (its own cap on limit), so start advances by what actually arrived and only an
    /// empty page ends the listing; size and the echoed limit are never trusted to mean "done".
    /// </summary>
    internal sealed class AuditRecordPager
    {
        private readonly AuditApiClient client;
        private readonly AuditQuery query;
        private readonly int pageSize;
        private int start;
        private ulong remaining;
        private bool finished;

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
            start = (int)skip;
            remaining = first;
        }

        public int PagesRequested { get; private set; }

        public long RecordsReturned { get; private set; }

        /// <summary>The next page of records, or null when the listing is complete.</summary>
        public async Task<IReadOnlyList<ConfluenceAuditRecord>?> NextPageAsync(IOperationLog log, CancellationToken cancellationToken)
        {
            if (finished || remaining == 0)
            {
                return null;
            }

            // -First asks for no more than it still needs.
            var limit = (int)Math.Min((ulong)pageSize, remaining);
            var page = await client.GetRecordsPageAsync(query, start, limit, log, cancellationToken).ConfigureAwait(false);
            PagesRequested++;
            var records = page.Records;
            if (records.Count == 0)
            {
                finished = true;
                return null;
            }

            if (records.Count < limit)
            {
                log.Verbose(string.Format(CultureInfo.InvariantCulture,
                    "Asked for {0} records from {1} and received {2}: the server limits its pages; asking for the next page from {3}.",
                    limit, start, records.Count, start + records.Count));
            }

            start = checked(start + records.Count);
            if ((ulong)records.Count > remaining)
            {
                records = Take(records, (int)remaining);
            }

            remaining -= (ulong)records.Count;
            RecordsReturned += records.Count;
            return records;
        }

        private static List<ConfluenceAuditRecord> Take(IReadOnlyList<ConfluenceAuditRecord> records, int count)
        {
            var taken = new List<ConfluenceAuditRecord>(count);
            for (var i = 0; i < count; i++)
            {
                taken.Add(records[i]);
            }

            return taken;
        }
    }
}
