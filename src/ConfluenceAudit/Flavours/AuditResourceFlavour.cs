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
/// {base}/rest/api/audit: Confluence Cloud's audit resource, which Data Center also had before 7.5. Lists by
/// start/limit (several pages in flight), exports CSV or ZIP itself, keeps retention as a number of units of at most a year.
/// </summary>
internal sealed class AuditResourceFlavour : IAuditFlavour
{
    private readonly AuditHttpClient client;
    private readonly ConfluenceDeployment deployment;
    private readonly int maxConcurrency;

    public AuditResourceFlavour(AuditHttpClient client, ConfluenceDeployment deployment, int maxConcurrency)
    {
        this.client = client;
        this.deployment = deployment;
        this.maxConcurrency = maxConcurrency;
    }

    public ConfluenceAuditApi Api => ConfluenceAuditApi.AuditResource;

    public bool SupportsFilters => false;

    public bool ExportsOnlyCsv => false;

    public IAuditRecordSource List(AuditQuery query, ulong skip, ulong first, int pageSize) =>
        new AuditRecordPager(client, query, skip, first, pageSize, maxConcurrency);

    public Task<ConfluenceAuditRecord> CreateAsync(NewAuditRecord record, IOperationLog log, CancellationToken cancellationToken) =>
        RecordCreation.CreateAsync(client, record, deployment, log, cancellationToken);

    public async Task<IExportSource> OpenExportAsync(AuditQuery query, AuditExportFormat format, IOperationLog log, CancellationToken cancellationToken) =>
        await ExportDownload.OpenAsync(client, query, format, log, cancellationToken).ConfigureAwait(false);

    public Task<ConfluenceAuditRetention> GetRetentionAsync(IOperationLog log, CancellationToken cancellationToken) =>
        AuditResourceRetention.GetAsync(client, log, cancellationToken);

    public void CheckRetention(int number, RetentionUnit unit) => RetentionRules.RequireWithinOneYear(number, unit);

    public Task<ConfluenceAuditRetention> SetRetentionAsync(int number, RetentionUnit unit, IOperationLog log, CancellationToken cancellationToken) =>
        AuditResourceRetention.SetAsync(client, number, unit, log, cancellationToken);
}
