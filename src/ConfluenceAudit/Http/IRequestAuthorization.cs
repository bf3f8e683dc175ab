using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Logging;

namespace ConfluenceAudit.Http;

/// <summary>
/// The Authorization header of each request, made only while the request is being sent, so the secret behind it is
/// never held as plain text longer than that. Connections/ConfluenceCredential (a fixed credential) and
/// Authentication/ClientCredentialAuthorization (access tokens bought with a client id and secret) implement it.
/// </summary>
internal interface IRequestAuthorization
{
    Task<AuthenticationHeaderValue> GetHeaderAsync(IOperationLog log, CancellationToken cancellationToken);
}

/// <summary>
/// An authorization whose header can go stale before the request is sent (an access token that lapsed or was revoked):
/// a request it gets 401 for is sent once more, with a header renewed at once.
/// </summary>
internal interface IRenewableAuthorization : IRequestAuthorization
{
    /// <summary>
    /// Renews the header the server refused, unless another request renewed it meanwhile: every request in flight
    /// shares one renewal.
    /// </summary>
    Task RenewAfterRejectionAsync(AuthenticationHeaderValue rejected, IOperationLog log, CancellationToken cancellationToken);
}
