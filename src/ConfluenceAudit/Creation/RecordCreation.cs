using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Http;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Creation;

/// <summary>
/// POST /audit. Sent exactly once: creating a record is not idempotent, so it is never retried, and a failure says
/// whether the record may have been created all the same.
/// </summary>
internal static class RecordCreation
{
    public static async Task<ConfluenceAuditRecord> CreateAsync(AuditHttpClient client, NewAuditRecord record, ConfluenceDeployment deployment, IOperationLog log, CancellationToken cancellationToken)
    {
        var uri = client.BuildUri(ApiPaths.Records);
        try
        {
            var wire = await client.SendJsonAsync(HttpMethod.Post, uri, RequestBodies.NewRecord(record), AuditJsonContext.Default.WireAuditRecord, log, cancellationToken).ConfigureAwait(false);
            return WireMapper.ToRecord(wire);
        }
        catch (ConfluenceApiException exception) when (deployment == ConfluenceDeployment.DataCenter && exception.StatusCode is 404 or 405)
        {
            // The auditing framework has no way to create records, and newer servers dropped the old resource's POST.
            throw new ConfluenceApiException("AuditRecordCreationNotSupported", FailureKind.NotSupported,
                $"{client.BaseUri} cannot create audit records through its API: it refused POST {ApiPaths.Records} ({exception.StatusCode}). " +
                "Confluence Data Center keeps its audit log in the auditing framework, which has no way to add records; only older servers accept them.",
                exception.StatusCode, exception.ServerMessage, exception.RequestUri, exception);
        }
        catch (ConfluenceApiException exception)
        {
            if (!MayHaveBeenSent(exception))
            {
                throw exception.WithSuffix("The record was not created.");
            }

            var unknown = exception.WithSuffix("The record may have been created: the request was sent but no readable answer came back.");
            unknown.OutcomeUnknown = true;
            throw unknown;
        }
    }

    /// <summary>False only when the server answered with an error status or the connection was never made.</summary>
    private static bool MayHaveBeenSent(ConfluenceApiException exception)
    {
        if (exception.StatusCode is int status && status >= 300)
        {
            return false;
        }

        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket &&
                (socket.SocketErrorCode == SocketError.ConnectionRefused || socket.SocketErrorCode == SocketError.HostNotFound || socket.SocketErrorCode == SocketError.NetworkUnreachable))
            {
                return false;
            }
        }

        return true;
    }
}
