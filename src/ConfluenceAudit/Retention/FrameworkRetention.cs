using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Http;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Retention;

/// <summary>
/// The retention of Data Center's auditing framework: GET/PUT {base}/rest/auditing/1.0/configuration/retention, a period
/// of years, months and days, shown as the largest unit that says it exactly (see <see cref="RetentionRules.FromPeriod"/>).
/// </summary>
internal static class FrameworkRetention
{
    public static async Task<ConfluenceAuditRetention> GetAsync(AuditHttpClient client, IOperationLog log, CancellationToken cancellationToken)
    {
        var uri = client.BuildUri(ApiPaths.FrameworkRetention);
        var wire = await client.SendJsonAsync(HttpMethod.Get, uri, null, AuditJsonContext.Default.WireRetentionConfiguration, log, cancellationToken).ConfigureAwait(false);
        return ToRetention(client, wire);
    }

    /// <summary>Only for units the framework can keep (see <see cref="RetentionRules.RequirePeriodUnit"/>).</summary>
    public static async Task<ConfluenceAuditRetention> SetAsync(AuditHttpClient client, int number, RetentionUnit unit, IOperationLog log, CancellationToken cancellationToken)
    {
        var uri = client.BuildUri(ApiPaths.FrameworkRetention);
        var body = RequestBodies.RetentionPeriod(RetentionRules.ToPeriod(number, unit));
        var wire = await client.SendJsonAsync(HttpMethod.Put, uri, body, AuditJsonContext.Default.WireRetentionConfiguration, log, cancellationToken).ConfigureAwait(false);
        return ToRetention(client, wire);
    }

    private static ConfluenceAuditRetention ToRetention(AuditHttpClient client, WireRetentionConfiguration wire)
    {
        // A missing part counts as 0.
        var period = new RetentionPeriod(wire.Period?.Years ?? 0, wire.Period?.Months ?? 0, wire.Period?.Days ?? 0);
        var (number, units) = RetentionRules.FromPeriod(period);
        return new ConfluenceAuditRetention(number, units, client.BaseUri, period);
    }
}
