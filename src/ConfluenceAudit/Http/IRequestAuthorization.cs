using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace ConfluenceAudit.Http;

/// <summary>
/// The Authorization header of each request, made only while the request is being sent, so the secret behind it is
/// never held as plain text longer than that. Connections/ConfluenceCredential is the one in use.
/// </summary>
internal interface IRequestAuthorization
{
    Task<AuthenticationHeaderValue> GetHeaderAsync(CancellationToken cancellationToken);
}
