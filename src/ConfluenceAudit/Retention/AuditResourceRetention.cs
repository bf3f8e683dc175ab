using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Http;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Retention;

/// <summary>The retention of the audit resource (Cloud, and Data Center before 7.5): GET/PUT /audit/retention, a number of units.</summary>
internal static class AuditResourceRetention
{
    public static async Task<ConfluenceAuditRetention> GetAsync(AuditHttpClient client, IOperationLog log, CancellationToken cancellationToken)
    {
        var uri = client.BuildUri(ApiPaths.Retention);
        var wire = await client.SendJsonAsync(HttpMethod.Get, uri, null, AuditJsonContext.Default.WireRetentionPeriod, log, cancellationToken).ConfigureAwait(false);
        return ToRetention(client, wire, AuditHttpClient.Describe(HttpMethod.Get, uri));
    }

    public static async Task<ConfluenceAuditRetention> SetAsync(AuditHttpClient client, int number, RetentionUnit unit, IOperationLog log, CancellationToken cancellationToken)
    {
        var uri = client.BuildUri(ApiPaths.Retention);
        var wire = await client.SendJsonAsync(HttpMethod.Put, uri, RequestBodies.Retention(number, unit), AuditJsonContext.Default.WireRetentionPeriod, log, cancellationToken).ConfigureAwait(false);
        return ToRetention(client, wire, AuditHttpClient.Describe(HttpMethod.Put, uri));
    }

    private static ConfluenceAuditRetention ToRetention(AuditHttpClient client, WireRetentionPeriod wire, string request)
    {
        if (wire.Number is not long number || number < 0 || number > int.MaxValue || !ApiNames.TryParse(typeof(RetentionUnit), wire.Units, out var unit))
        {
            throw HttpFailures.InvalidResponse(request, $"the retention period '{wire.Number} {wire.Units}' is not a number of known units.");
        }

        return new ConfluenceAuditRetention((int)number, (RetentionUnit)unit!, client.BaseUri);
    }
}
