using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Http;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Connections;

/// <summary>
/// Finds out which audit API a server offers, with as few requests as possible (on Data Center every read of the
/// log is itself audited): Cloud always has the audit resource and needs none. A Data Center server is asked for
/// one event of the auditing framework (7.5 and later); only if it has none is the legacy resource tried. An address
/// ending in /wiki that was not named Data Center explicitly is taken to be laid out like Cloud's.
/// </summary>
internal static class AuditApiDiscovery
{
    /// <returns>The API, and whether the framework refused an unfiltered read (403: only a space's events may be read).</returns>
    public static async Task<(ConfluenceAuditApi Api, bool ReadsLimited)> DiscoverAsync(
        AuditHttpClient client, ConfluenceDeployment deployment, bool deploymentGiven, IOperationLog log, CancellationToken cancellationToken)
    {
        if (deployment == ConfluenceDeployment.Cloud || (!deploymentGiven && client.BaseUri.AbsolutePath.TrimEnd('/').EndsWith("/wiki", StringComparison.OrdinalIgnoreCase)))
        {
            // Cloud, or an address laid out like Cloud's (…/wiki, as the local emulator and some older servers are):
            // the audit resource, as Cloud has it, with no request to find out. An explicit Data Center deployment tries
            // the auditing framework there too.
            return (ConfluenceAuditApi.AuditResource, false);
        }

        var framework = client.BuildUri(ApiPaths.Events, new[] { new KeyValuePair<string, string>("limit", "1") });
        try
        {
            await client.SendJsonAsync(HttpMethod.Get, framework, null, AuditJsonContext.Default.WireEventPage, log, cancellationToken).ConfigureAwait(false);
            return (ConfluenceAuditApi.AuditingFramework, false);
        }
        catch (ConfluenceApiException exception) when (exception.StatusCode == 403)
        {
            // A space administrator may not read the whole log, only their spaces'.
            return (ConfluenceAuditApi.AuditingFramework, true);
        }
        catch (ConfluenceApiException exception) when (exception.StatusCode == 404)
        {
            log.Verbose("The server has no auditing framework (Confluence before 7.5): using its /rest/api/audit resource.");
            return (ConfluenceAuditApi.AuditResource, false);
        }
    }
}
