using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Listing;

/// <summary>A listing of audit records, newest first, page by page: Cloud's audit resource or Data Center's events.</summary>
internal interface IAuditRecordSource : IDisposable
{
    int PagesRequested { get; }

    long RecordsReturned { get; }

    /// <summary>The next records, or null when the listing is complete. Never an empty list.</summary>
    Task<IReadOnlyList<ConfluenceAuditRecord>?> NextPageAsync(IOperationLog log, CancellationToken cancellationToken);
}
