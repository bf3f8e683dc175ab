using System;

namespace ConfluenceAudit.Models;

/// <summary>
/// What a <see cref="ConfluenceAuditConnection"/> shows of the live session behind it (Connections/AuditSession), which
/// learns some of it only as it talks to the server (the audit API it offers). Kept as an interface so the public
/// types depend on nothing else in the module.
/// </summary>
internal interface IConnectionState : IDisposable
{
    Uri BaseUri { get; }

    /// <summary>The site's own address; the same as <see cref="BaseUri"/> unless requests go through the API gateway.</summary>
    Uri Site { get; }

    /// <summary>When the current access token lapses (client credentials only; renewed before then).</summary>
    DateTimeOffset? TokenExpiresAt { get; }

    ConfluenceDeployment Deployment { get; }

    ConfluenceAuditApi? AuditApi { get; }

    string? UserName { get; }

    string AuthenticationType { get; }

    /// <summary>How long one request may take, body included; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no limit.</summary>
    TimeSpan Timeout { get; }

    int MaximumRetryCount { get; }

    TimeSpan RetryInterval { get; }

    TimeSpan MaximumRetryWait { get; }

    int MaxConcurrency { get; }

    Uri? Proxy { get; }

    bool SkipCertificateCheck { get; }

    bool IsDisposed { get; }
}
