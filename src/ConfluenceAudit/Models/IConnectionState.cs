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
