using System;
using System.Net;
using System.Net.Http;
using ConfluenceAudit.Http;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Connections;

/// <summary>What a connection is made from, whether typed as parameters or read from the environment.</summary>
internal sealed class ConnectionOptions
{
    public const int DefaultTimeoutSec = 100;

    public const int DefaultMaxConcurrency = 4;

    public const int DefaultMaximumRetryCount = RetryPolicy.DefaultMaximumRetryCount;

    public const int DefaultRetryIntervalSec = RetryPolicy.DefaultRetryIntervalSec;

    public const int DefaultMaximumRetryWaitSec = RetryPolicy.DefaultMaximumWaitSec;

    public ConnectionOptions(Uri baseUri, ConfluenceCredential credential, string source)
    {
        BaseUri = baseUri;
        Credential = credential;
        Source = source;
    }

    public ConnectionOptions(Uri baseUri, ClientCredentials clientCredentials, string source)
    {
        BaseUri = baseUri;
        ClientCredentials = clientCredentials;
        Source = source;
    }

    public Uri BaseUri { get; }

    /// <summary>A fixed credential (Basic or Bearer); null with <see cref="ClientCredentials"/>.</summary>
    public ConfluenceCredential? Credential { get; }

    /// <summary>A service account's OAuth 2.0 client credentials; null with <see cref="Credential"/>.</summary>
    public ClientCredentials? ClientCredentials { get; }

    /// <summary>"Parameters" or "Environment": what made the connection.</summary>
    public string Source { get; }

    /// <summary>Seconds one request may take; 0 for no limit.</summary>
    public int TimeoutSec { get; set; } = DefaultTimeoutSec;

    /// <summary>Allow plain http to a host that is not loopback (credentials cross the network unencrypted).</summary>
    public bool AllowUnencryptedAuthentication { get; set; }

    /// <summary>How often a throttled, unavailable or interrupted request is retried; 0 turns retries off.</summary>
    public int MaximumRetryCount { get; set; } = DefaultMaximumRetryCount;

    /// <summary>The first wait before a retry when the server sends no Retry-After; it doubles with each retry.</summary>
    public int RetryIntervalSec { get; set; } = DefaultRetryIntervalSec;

    /// <summary>The longest wait before a retry.</summary>
    public int MaximumRetryWaitSec { get; set; } = DefaultMaximumRetryWaitSec;

    /// <summary>A retry policy that replaces the three settings above (tests use one that records its waits).</summary>
    internal RetryPolicy? RetryPolicy { get; set; }

    /// <summary>Requests a listing keeps in flight at once; 1 reads one page after the other.</summary>
    public int MaxConcurrency { get; set; } = DefaultMaxConcurrency;

    /// <summary>A proxy to use instead of the system's; null for the system proxy.</summary>
    public Uri? Proxy { get; set; }

    /// <summary>Credentials for <see cref="Proxy"/>.</summary>
    public NetworkCredential? ProxyCredential { get; set; }

    /// <summary>Accept any server certificate (a Data Center server with a private certificate). Off by default.</summary>
    public bool SkipCertificateCheck { get; set; }

    /// <summary>Cloud or DataCenter as the user said; null to decide from the host name.</summary>
    public ConfluenceDeployment? Deployment { get; set; }

    public string UserAgent { get; set; } = "ConfluenceAudit";

    /// <summary>Test seam: a handler standing in for the network.</summary>
    public HttpMessageHandler? Handler { get; set; }
}
