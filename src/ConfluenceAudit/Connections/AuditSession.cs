using System;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Authentication;
using ConfluenceAudit.Export;
using ConfluenceAudit.Flavours;
using ConfluenceAudit.Http;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Retention;

namespace ConfluenceAudit.Connections;

/// <summary>
/// The one façade the PowerShell layer calls, one per connection: verify, list, create, export, read and change
/// retention. It owns the connection's HttpClient, finds out once which audit API the server offers, and hands each
/// operation to that API's <see cref="IAuditFlavour"/>, so nothing above it branches on Cloud or Data Center.
/// </summary>
internal sealed class AuditSession : IConnectionState
{
    private readonly bool deploymentGiven;
    private readonly ClientCredentialAuthorization? clientCredentials;
    private readonly Uri? siteRoot;
    private readonly Uri? gatewayRoot;
    private readonly object addressGate = new object();
    private IAuditFlavour? flavour;
    private Task? addressing;

    /// <param name="clientCredentials">A service account's credential, when the connection uses one.</param>
    /// <param name="siteRoot">With <paramref name="clientCredentials"/>: where to find the site's cloud id (/_edge/tenant_info) before the first request.</param>
    /// <param name="gatewayRoot">With <paramref name="siteRoot"/>: the host of the gateway the requests then go through.</param>
    public AuditSession(AuditHttpClient http, ConfluenceDeployment deployment, ConnectionOptions options,
        ClientCredentialAuthorization? clientCredentials = null, Uri? siteRoot = null, Uri? gatewayRoot = null)
    {
        Http = http;
        Site = http.BaseUri;
        this.clientCredentials = clientCredentials;
        this.siteRoot = siteRoot;
        this.gatewayRoot = gatewayRoot;
        Deployment = deployment;
        deploymentGiven = options.Deployment.HasValue;
        MaxConcurrency = options.MaxConcurrency;
        Proxy = options.Proxy;
        SkipCertificateCheck = options.SkipCertificateCheck;
        UserName = options.Credential?.UserName ?? options.ClientCredentials?.ClientId;
        AuthenticationType = options.Credential?.Scheme ?? "ClientCredentials";
    }

    public AuditHttpClient Http { get; }

    public Uri BaseUri => Http.BaseUri;

    /// <summary>The site's own address, as given: what a checkpoint belongs to, whichever way the requests go.</summary>
    public Uri Site { get; }

    public DateTimeOffset? TokenExpiresAt => clientCredentials?.ExpiresAt?.ToLocalTime();

    /// <summary>Access tokens bought so far (client credentials only).</summary>
    public long TokenRenewals => clientCredentials?.Renewals ?? 0;

    public ConfluenceDeployment Deployment { get; }

    /// <summary>The audit API the server offers; null until found out (the first operation, or Connect-ConfluenceAudit's check).</summary>
    public ConfluenceAuditApi? AuditApi => flavour?.Api;

    /// <summary>True when the framework refused an unfiltered read (403): this account may read only its spaces' events.</summary>
    public bool FrameworkReadsLimited { get; private set; }

    public string? UserName { get; }

    public string AuthenticationType { get; }

    public TimeSpan Timeout => Http.Timeout;

    public int MaximumRetryCount => Http.Retry.MaximumRetryCount;

    public TimeSpan RetryInterval => Http.Retry.FirstInterval;

    public TimeSpan MaximumRetryWait => Http.Retry.MaximumWait;

    public int MaxConcurrency { get; }

    public Uri? Proxy { get; }

    public bool SkipCertificateCheck { get; }

    public bool IsDisposed { get; private set; }

    /// <summary>The session behind a connection (every connection is made by <see cref="ConnectionFactory"/> around one).</summary>
    public static AuditSession Of(ConfluenceAuditConnection connection) => (AuditSession)connection.State;

    /// <summary>
    /// The first request of a connection, proving the address and the credentials: on Data Center, finding out which
    /// API the server offers is that request; on the audit resource, one record is read.
    /// </summary>
    public async Task VerifyAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        var api = await FlavourAsync(log, cancellationToken).ConfigureAwait(false);
        if (api.Api == ConfluenceAuditApi.AuditResource)
        {
            await AuditPage.ReadAsync(Http, AuditQuery.Range(null, null, null), 0, 1, log, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The API the server offers, found out with the first call and remembered.</summary>
    public async Task<IAuditFlavour> FlavourAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        if (flavour is not null)
        {
            return flavour;
        }

        await FindGatewayAsync(log, cancellationToken).ConfigureAwait(false);
        var (api, readsLimited) = await AuditApiDiscovery.DiscoverAsync(Http, Deployment, deploymentGiven, log, cancellationToken).ConfigureAwait(false);
        FrameworkReadsLimited = readsLimited;
        flavour = api == ConfluenceAuditApi.AuditingFramework
            ? new AuditingFrameworkFlavour(Http)
            : new AuditResourceFlavour(Http, Deployment, MaxConcurrency);
        return flavour;
    }

    /// <summary>
    /// The API to list with; Data Center's own filters (<paramref name="filtered"/>) are refused where only the audit
    /// resource exists, on Cloud before any request.
    /// </summary>
    public async Task<IAuditFlavour> ListingFlavourAsync(bool filtered, IOperationLog log, CancellationToken cancellationToken)
    {
        if (filtered && Deployment == ConfluenceDeployment.Cloud)
        {
            throw FiltersNotSupported();
        }

        var api = await FlavourAsync(log, cancellationToken).ConfigureAwait(false);
        if (filtered && !api.SupportsFilters)
        {
            throw FiltersNotSupported();
        }

        return api;
    }

    /// <summary>The records of <paramref name="query"/>, newest first, page by page.</summary>
    public async Task<IAuditRecordSource> ListAsync(AuditQuery query, ulong skip, ulong first, int pageSize, IOperationLog log, CancellationToken cancellationToken)
    {
        var api = await ListingFlavourAsync(query.Filters is not null, log, cancellationToken).ConfigureAwait(false);
        return api.List(query, skip, first, pageSize);
    }

    public async Task<ConfluenceAuditRecord> CreateRecordAsync(NewAuditRecord record, IOperationLog log, CancellationToken cancellationToken)
    {
        var api = await FlavourAsync(log, cancellationToken).ConfigureAwait(false);
        return await api.CreateAsync(record, log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Exports the records of <paramref name="query"/> into <paramref name="destination"/>, which appears only when complete.</summary>
    /// <returns>The number of bytes the server sent.</returns>
    public async Task<long> ExportAsync(AuditQuery query, AuditExportFormat format, string destination, bool replaceReadOnly, IOperationLog log, CancellationToken cancellationToken)
    {
        var api = await FlavourAsync(log, cancellationToken).ConfigureAwait(false);
        using var source = await api.OpenExportAsync(query, format, log, cancellationToken).ConfigureAwait(false);
        var zipHere = api.ExportsOnlyCsv && format == AuditExportFormat.Zip;
        return await ExportFile.WriteAsync(source, destination, zipHere, replaceReadOnly, log, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ConfluenceAuditRetention> GetRetentionAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        var api = await FlavourAsync(log, cancellationToken).ConfigureAwait(false);
        return await api.GetRetentionAsync(log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks a new retention against the API's rules before any request that could change something (on Cloud, before
    /// any request at all), then reads the current one: what the user is asked to confirm.
    /// </summary>
    public async Task<RetentionChange> PlanRetentionChangeAsync(int number, RetentionUnit unit, IOperationLog log, CancellationToken cancellationToken)
    {
        var api = await FlavourAsync(log, cancellationToken).ConfigureAwait(false);
        api.CheckRetention(number, unit);
        var current = await api.GetRetentionAsync(log, cancellationToken).ConfigureAwait(false);
        return new RetentionChange(current, number, unit);
    }

    public async Task<ConfluenceAuditRetention> ApplyRetentionChangeAsync(RetentionChange change, IOperationLog log, CancellationToken cancellationToken)
    {
        var api = await FlavourAsync(log, cancellationToken).ConfigureAwait(false);
        return await api.SetRetentionAsync(change.Number, change.Unit, log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// For a service account on a Cloud site's own address: finds the site's cloud id once and moves the connection to
    /// the gateway, before any other request (the site's host refuses access tokens). Concurrent first calls share it.
    /// </summary>
    private Task FindGatewayAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        if (siteRoot is null)
        {
            return Task.CompletedTask;
        }

        lock (addressGate)
        {
            if (addressing is null || addressing.IsFaulted || addressing.IsCanceled)
            {
                addressing = MoveToGatewayAsync(log, cancellationToken);
            }

            return addressing;
        }
    }

    private async Task MoveToGatewayAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        var cloudId = await Http.Retry.ExecuteAsync(token => clientCredentials!.Client.FindCloudIdAsync(siteRoot!, token), idempotent: true, log, cancellationToken)
            .ConfigureAwait(false);
        if (cloudId is null)
        {
            if (BaseUriNormalizer.IsCloudHost(Site))
            {
                throw new ConfluenceApiException("ConfluenceNotFound", FailureKind.NotFound,
                    $"{siteRoot!.Host} has no cloud id at {siteRoot}_edge/tenant_info (404): is it a Confluence Cloud site? The address of the API gateway, " +
                    "https://api.atlassian.com/ex/confluence/<cloudId>, works as well.", 404, null, "GET " + siteRoot + "_edge/tenant_info");
            }

            log.Verbose($"{siteRoot} has no /_edge/tenant_info: the requests go to {Site} as given.");
            return;
        }

        var gateway = new Uri(gatewayRoot!, "ex/confluence/" + Uri.EscapeDataString(cloudId) + "/wiki");
        Http.MoveTo(gateway);
        log.Verbose($"The cloud id of {Site} is {cloudId}: the requests go through the API gateway, {gateway}.");
    }

    public void Dispose()
    {
        if (!IsDisposed)
        {
            IsDisposed = true;
            Http.Dispose();
        }
    }

    private InvalidAuditRequestException FiltersNotSupported() =>
        new InvalidAuditRequestException("DataCenterFilterNotSupported",
            "Filters by category, action, author id and affected object exist only in Data Center's auditing framework (Confluence Data Center 7.5 and later); " +
            $"{BaseUri} offers {(Deployment == ConfluenceDeployment.Cloud ? "Confluence Cloud's" : "only the older")} audit resource, which has no such filters.",
            BaseUri);
}
