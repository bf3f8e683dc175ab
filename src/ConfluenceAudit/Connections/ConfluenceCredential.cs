using System;
using System.Net;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Http;
using ConfluenceAudit.Logging;

namespace ConfluenceAudit.Connections;

/// <summary>
/// A secret held as a SecureString and turned into an Authorization header only while a request is
/// being sent. ToString never shows it, so it cannot leak through formatting or logging.
/// </summary>
internal sealed class ConfluenceCredential : IRequestAuthorization
{
    private readonly SecureString secret;

    private ConfluenceCredential(string scheme, string? userName, SecureString secret)
    {
        Scheme = scheme;
        UserName = userName;
        this.secret = secret.Copy();
        this.secret.MakeReadOnly();
    }

    /// <summary>"Basic" (e-mail and API token, or user name and password) or "Bearer" (a token).</summary>
    public string Scheme { get; }

    public string? UserName { get; }

    public static ConfluenceCredential Basic(string userName, SecureString password) => new ConfluenceCredential("Basic", userName, password);

    public static ConfluenceCredential Bearer(SecureString token) => new ConfluenceCredential("Bearer", null, token);

    public Task<AuthenticationHeaderValue> GetHeaderAsync(IOperationLog log, CancellationToken cancellationToken) => Task.FromResult(CreateHeader());

    private AuthenticationHeaderValue CreateHeader()
    {
        var plain = new NetworkCredential(string.Empty, secret).Password;
        if (Scheme == "Bearer")
        {
            return new AuthenticationHeaderValue("Bearer", plain);
        }

        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(UserName + ":" + plain)));
    }

    public override string ToString() => UserName is null ? Scheme : Scheme + " " + UserName;
}
