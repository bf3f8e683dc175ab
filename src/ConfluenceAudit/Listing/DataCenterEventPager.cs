using System;
using System.Collections.Generic;
using System.Globalization;
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
/// from the server's configured address and may point elsewhere. It ends on lastPage; a cursor that stops
/// moving is reported.
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
            if (page.Entities is null)
            {
                throw HttpFailures.InvalidResponse(AuditHttpClient.Describe(HttpMethod.Get, uri), "the page has no 'entities' array.");
            }

            var records = new List<ConfluenceAuditRecord>(page.Entities.Count);
            foreach (var entity in page.Entities)
            {
                if (entity is not null)
                {
                    records.Add(DataCenterMapper.ToRecord(entity));
                }
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
            else if (next == cursor || (records.Count == 0 && ++pagesWithoutRecords >= 5))
            {
                throw new ConfluenceApiException("ConfluencePagingStalled", FailureKind.InvalidResponse,
                    $"The listing stopped making progress: the server's cursor stayed at '{next}'. {RecordsReturned} records were returned.");
            }

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
}
