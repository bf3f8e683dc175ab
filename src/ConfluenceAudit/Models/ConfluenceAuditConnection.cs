using System;

namespace ConfluenceAudit.Models;

/// <summary>
/// A connection to one Confluence site: its address, how it authenticates (never the secret) and the
/// one HttpClient every cmdlet shares for it. Connect-ConfluenceAudit makes it; Disconnect disposes it.
/// </summary>
public sealed class ConfluenceAuditConnection : IDisposable
{
    internal ConfluenceAuditConnection(IConnectionState state, string source)
    {
        State = state;
        Source = source;
        ConnectedAt = DateTimeOffset.Now;
    }

    /// <summary>
    /// The address the REST paths hang off, such as https://acme.atlassian.net/wiki, or the API gateway
    /// (https://api.atlassian.com/ex/confluence/&lt;cloudId&gt;/wiki) for a service account's OAuth 2.0 client credentials.
    /// </summary>
    public Uri BaseUri => State.BaseUri;

    /// <summary>The site's own address, such as https://acme.atlassian.net/wiki; the same as BaseUri unless requests go through the gateway.</summary>
    public Uri Site => State.Site;

    public ConfluenceDeployment Deployment => State.Deployment;

    /// <summary>The audit API the server offers: found out with the first request, empty until then.</summary>
    public ConfluenceAuditApi? AuditApi => State.AuditApi;

    /// <summary>The account e-mail or user name for Basic authentication, the client id for ClientCredentials; empty for a token.</summary>
    public string? UserName => State.UserName;

    /// <summary>
    /// "Basic" (e-mail and API token, or user name and password), "Bearer" (a token) or "ClientCredentials" (a service
    /// account's OAuth 2.0 client id and secret, which buy access tokens that are renewed as they lapse).
    /// </summary>
    public string AuthenticationType => State.AuthenticationType;

    /// <summary>When the current access token lapses (ClientCredentials only; it is renewed before then). Empty before the first request.</summary>
    public DateTimeOffset? TokenExpiresAt => State.TokenExpiresAt;

    /// <summary>How long one request may take, in seconds; 0 means no limit.</summary>
    public int TimeoutSec => State.Timeout == System.Threading.Timeout.InfiniteTimeSpan ? 0 : (int)State.Timeout.TotalSeconds;

    /// <summary>Retries of a throttled or failed idempotent request; 0 means none.</summary>
    public int MaximumRetryCount => State.MaximumRetryCount;

    /// <summary>The first wait, in seconds, before a retry when the server sends no Retry-After.</summary>
    public int RetryIntervalSec => (int)State.RetryInterval.TotalSeconds;

    /// <summary>The longest wait, in seconds, before a retry; a longer Retry-After is clamped to it.</summary>
    public int MaximumRetryWaitSec => (int)State.MaximumRetryWait.TotalSeconds;

    /// <summary>Requests a listing keeps in flight at once (pages are still written in order); 1 reads page after page.</summary>
    public int MaxConcurrency => State.MaxConcurrency;

    /// <summary>The proxy this connection uses instead of the system's; empty for the system proxy.</summary>
    public Uri? Proxy => State.Proxy;

    /// <summary>True when the server's certificate is not checked (-SkipCertificateCheck).</summary>
    public bool SkipCertificateCheck => State.SkipCertificateCheck;

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>"Parameters" when made by Connect-ConfluenceAudit's parameters, "Environment" when made from CONFLUENCE_* variables.</summary>
    public string Source { get; }

    public bool IsDisposed => State.IsDisposed;

    /// <summary>The session that does the work: Connections/AuditSession.</summary>
    internal IConnectionState State { get; }

    /// <summary>For a connection made from CONFLUENCE_* variables: the digest of their values when it was made.</summary>
    internal string? EnvironmentFingerprint { get; set; }

    public void Dispose() => State.Dispose();

    public override string ToString() => BaseUri.AbsoluteUri + " (" + (UserName is null ? AuthenticationType : AuthenticationType + " " + UserName) + ")";
}
