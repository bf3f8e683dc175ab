using System;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Creation;
using ConfluenceAudit.Export;
using ConfluenceAudit.Http;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Retention;

namespace ConfluenceAudit.Flavours;

/// <summary>
/// {base}/rest/auditing/1.0: Atlassian's auditing framework, Confluence Data Center 7.5 and later. It has no /since
/// (a period back from now becomes a date range ending now) and no way to create records (the legacy POST is tried,
/// and a refusal says so); it lists by keyset cursor, exports CSV only (assembled from capped responses), and keeps
/// retention as years, months and days.
/// </summary>
internal sealed class AuditingFrameworkFlavour : IAuditFlavour
{
    private readonly AuditHttpClient client;

    public AuditingFrameworkFlavour(AuditHttpClient client)
    {
        this.client = client;
    }

    public ConfluenceAuditApi Api => ConfluenceAuditApi.AuditingFramework;

    public bool SupportsFilters => true;

    public bool ExportsOnlyCsv => true;

    public IAuditRecordSource List(AuditQuery query, ulong skip, ulong first, int pageSize) =>
        new DataCenterEventPager(client, query.ToRange(DateTimeOffset.Now), skip, first, pageSize);

    public Task<ConfluenceAuditRecord> CreateAsync(NewAuditRecord record, IOperationLog log, CancellationToken cancellationToken) =>
        RecordCreation.CreateAsync(client, record, ConfluenceDeployment.DataCenter, log, cancellationToken);

    public Task<IExportSource> OpenExportAsync(AuditQuery query, AuditExportFormat format, IOperationLog log, CancellationToken cancellationToken) =>
        Task.FromResult<IExportSource>(new DataCenterCsvExport(client, query.ToRange(DateTimeOffset.Now), log));

    public Task<ConfluenceAuditRetention> GetRetentionAsync(IOperationLog log, CancellationToken cancellationToken) =>
        FrameworkRetention.GetAsync(client, log, cancellationToken);

    public void CheckRetention(int number, RetentionUnit unit) => RetentionRules.RequirePeriodUnit(number, unit);

    public Task<ConfluenceAuditRetention> SetRetentionAsync(int number, RetentionUnit unit, IOperationLog log, CancellationToken cancellationToken) =>
        FrameworkRetention.SetAsync(client, number, unit, log, cancellationToken);
}
