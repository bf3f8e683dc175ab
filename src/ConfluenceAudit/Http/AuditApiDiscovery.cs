using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Http
{
    /// <summary>
    /// Finds out which audit API a server offers, with as few requests as possible (on Data Center every read of the
    /// log is itself audited): Cloud always has the audit resource and needs none. A Data Center server is asked for
    /// one event of the auditing framework (7.5 and later); only if it has none is the legacy resource tried. An address
    /// ending in /wiki that was not named Data Center explicitly is taken to be laid out like Cloud's.
    /// The answer is remembered on the client, so a connection asks once.
    /// </summary>
    internal static class AuditApiDiscovery
    {
        public static async Task<ConfluenceAuditApi> ResolveAsync(AuditApiClient client, IOperationLog log, CancellationToken cancellationToken)
        {
            if (client.AuditApi is ConfluenceAuditApi known)
            {
                return known;
            }

            if (client.Deployment == ConfluenceDeployment.Cloud || (!client.DeploymentGiven && client.BaseUri.AbsolutePath.TrimEnd('/').EndsWith("/wiki", System.StringComparison.OrdinalIgnoreCase)))
            {
                // Cloud, or an address laid out like Cloud's (…/wiki, as the local emulator and some older servers are):
                // the audit resource, as Cloud has it, with no request to find out. -Deployment DataCenter tries the
                // auditing framework there too.
                client.AuditApi = ConfluenceAuditApi.AuditResource;
                return ConfluenceAuditApi.AuditResource;
            }

            var framework = client.BuildUri(DataCenterEventPager.EventsPath, new[] { new System.Collections.Generic.KeyValuePair<string, string>("limit", "1") });
            try
            {
                await client.SendJsonAsync(HttpMethod.Get, framework, null, AuditJsonContext.Default.WireEventPage, log, cancellationToken).ConfigureAwait(false);
                client.AuditApi = ConfluenceAuditApi.AuditingFramework;
            }
            catch (ConfluenceApiException exception) when (exception.StatusCode == 403)
            {
                // A space administrator may not read the whole log, only their spaces' (-AffectedObject space,<id>).
                client.AuditApi = ConfluenceAuditApi.AuditingFramework;
                client.FrameworkReadsLimited = true;
            }
            catch (ConfluenceApiException exception) when (exception.StatusCode == 404)
            {
                log.Verbose("The server has no auditing framework (Confluence before 7.5): using its /rest/api/audit resource.");
                client.AuditApi = ConfluenceAuditApi.AuditResource;
            }

            return client.AuditApi!.Value;
        }
    }
}
