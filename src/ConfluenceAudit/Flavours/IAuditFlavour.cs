using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Export;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Flavours;

/// <summary>
/// One audit API: how each operation is done on it. Two exist: the audit resource (Cloud, and Data Center before 7.5)
/// and Data Center's auditing framework (7.5 and later). Connections/AuditSession finds out which one a server offers
/// and calls it; nothing above the session branches on the API.
/// </summary>
internal interface IAuditFlavour
{
    ConfluenceAuditApi Api { get; }

    /// <summary>Whether Data Center's own filters (categories, actions, authors, affected objects) can be sent.</summary>
    bool SupportsFilters { get; }

    /// <summary>The records of <paramref name="query"/>, newest first, page by page.</summary>
    IAuditRecordSource List(AuditQuery query, ulong skip, ulong first, int pageSize);

    Task<ConfluenceAuditRecord> CreateAsync(NewAuditRecord record, IOperationLog log, CancellationToken cancellationToken);

    /// <summary>The export's bytes in <paramref name="format"/>, or as CSV when <see cref="ExportsOnlyCsv"/>.</summary>
    Task<IExportSource> OpenExportAsync(AuditQuery query, AuditExportFormat format, IOperationLog log, CancellationToken cancellationToken);

    /// <summary>True when the API exports CSV only, so a ZIP is made locally.</summary>
    bool ExportsOnlyCsv { get; }

    Task<ConfluenceAuditRetention> GetRetentionAsync(IOperationLog log, CancellationToken cancellationToken);

    /// <summary>Refuses, before any request, a period this API does not accept (<see cref="InvalidAuditRequestException"/>).</summary>
    void CheckRetention(int number, RetentionUnit unit);

    Task<ConfluenceAuditRetention> SetRetentionAsync(int number, RetentionUnit unit, IOperationLog log, CancellationToken cancellationToken);
}
