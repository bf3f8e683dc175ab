using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Http
{
    /// <summary>A listing of audit records, newest first, page by page: Cloud's audit resource or Data Center's events.</summary>
    internal interface IAuditRecordSource : IDisposable
    {
        int PagesRequested { get; }

        long RecordsReturned { get; }

        /// <summary>The next records, or null when the listing is complete. Never an empty list.</summary>
        Task<IReadOnlyList<ConfluenceAuditRecord>?> NextPageAsync(IOperationLog log, CancellationToken cancellationToken);
    }

    internal static class AuditRecordSource
    {
        /// <summary>The listing for the API the server offers (see <see cref="AuditApiClient.ResolveApiAsync"/>).</summary>
        public static IAuditRecordSource Create(AuditApiClient client, ConfluenceAuditApi api, AuditQuery query, ulong skip, ulong first, int pageSize) =>
            api == ConfluenceAuditApi.AuditingFramework
                ? new DataCenterEventPager(client, query.ToRange(DateTimeOffset.Now), skip, first, pageSize)
                : new AuditRecordPager(client, query, skip, first, pageSize);
    }
}
