using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Http;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Listing;

/// <summary>
/// Walks Data Center's audit events (GET {base}/rest/auditing/1.0/events) with the server's keyset cursor inside a
/// window whose end is pinned, so events that arrive meanwhile neither shift nor repeat anything. The next page is
/// asked for at the connection's own base URL with the cursor, never by following nextPageLink, which is built
/// from the server's configured address and may point elsewhere. It ends on lastPage.
/// Progress guard: a cursor or nextPageLink seen before in this listing, a page that repeats the one before it, or
/// <see cref="StalledPageLimit"/> pages in a row without an event end the listing with ConfluencePagingStalled.
/// </summary>
internal sealed class DataCenterEventPager : IAuditRecordSource
{
    private readonly AuditHttpClient client;
    private readonly AuditQuery query;
    private readonly int pageSize;
    private readonly ulong skip;
    private ulong remaining;
    private string? cursor;
    private bool finished;
    private int pagesWithoutRecords;
    private readonly HashSet<string> cursorsSeen = new HashSet<string>(StringComparer.Ordinal);
    private readonly HashSet<string> linksSeen = new HashSet<string>(StringComparer.Ordinal);
    private List<string>? previousKeys;

    /// <summary>Pages in a row without an event (and not the last) after which the listing is reported as stalled.</summary>
    public const int StalledPageLimit = 5;

    /// <param name="query">A date range with its end pinned (see <see cref="AuditQuery.ToRange"/>).</param>
    public DataCenterEventPager(AuditHttpClient client, AuditQuery query, ulong skip, ulong first, int pageSize)
    {
        this.client = client;
        this.query = query;
        this.pageSize = pageSize;
        this.skip = skip;
        remaining = first;
    }

    public int PagesRequested { get; private set; }

    public long RecordsReturned { get; private set; }

    public async Task<IReadOnlyList<ConfluenceAuditRecord>?> NextPageAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        while (!finished && remaining > 0)
        {
            var parameters = query.ToFrameworkParameters();
            parameters.Add(new KeyValuePair<string, string>("limit", ((int)Math.Min((ulong)pageSize, remaining)).ToString(CultureInfo.InvariantCulture)));
            if (cursor is not null)
            {
                parameters.Add(new KeyValuePair<string, string>("pageCursor", cursor));
            }
            else if (skip > 0)
            {
                parameters.Add(new KeyValuePair<string, string>("offset", skip.ToString(CultureInfo.InvariantCulture)));
            }

            var uri = client.BuildUri(ApiPaths.Events, parameters);
            var page = await client.SendJsonAsync(HttpMethod.Get, uri, null, AuditJsonContext.Default.WireEventPage, log, cancellationToken).ConfigureAwait(false);
            PagesRequested++;

            // The client has validated the answer: entities is there and every entry is a dated event.
            var records = new List<ConfluenceAuditRecord>(page.Entities!.Count);
            var keys = new List<string>(page.Entities.Count);
            foreach (var entity in page.Entities)
            {
                var record = DataCenterMapper.ToRecord(entity!);
                records.Add(record);
                keys.Add(RecordKey.Of(record));
            }

            var next = DataCenterMapper.Cursor(page.PagingInfo?.NextPageCursor);
            if (page.PagingInfo?.LastPage == true)
            {
                finished = true;
            }
            else if (next is null)
            {
                throw HttpFailures.InvalidResponse(AuditHttpClient.Describe(HttpMethod.Get, uri), "the page is not the last one but names no next page (pagingInfo.nextPageCursor).");
            }
            else if (!cursorsSeen.Add(next) || next == cursor)
            {
                throw Stalled($"the server's next cursor '{next}' was given before in this listing.");
            }
            else if (page.PagingInfo?.NextPageLink is string link && link.Length > 0 && !linksSeen.Add(link))
            {
                throw Stalled($"the server's nextPageLink '{link}' was given before in this listing.");
            }
            else if (records.Count == 0 && ++pagesWithoutRecords >= StalledPageLimit)
            {
                throw Stalled($"{StalledPageLimit} pages in a row brought no event although none was the last.");
            }

            if (records.Count > 0 && previousKeys is not null && keys.SequenceEqual(previousKeys))
            {
                throw Stalled("the page repeats the one before it.");
            }

            previousKeys = keys;
            cursor = next;
            if (records.Count == 0)
            {
                continue;
            }

            pagesWithoutRecords = 0;
            if ((ulong)records.Count > remaining)
            {
                records.RemoveRange((int)remaining, records.Count - (int)remaining);
            }

            remaining -= (ulong)records.Count;
            RecordsReturned += records.Count;
            return records;
        }

        return null;
    }

    public void Dispose()
    {
    }

    private ConfluenceApiException Stalled(string problem) =>
        HttpFailures.PagingStalled("listing", PagesRequested, problem, $"{RecordsReturned} records were returned.");
}
