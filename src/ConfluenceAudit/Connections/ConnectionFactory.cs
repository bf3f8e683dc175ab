using System;
using System.Net;
using System.Net.Http;
using ConfluenceAudit.Http;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Connections;

/// <summary>Makes a connection: checks the address, picks the deployment, and builds the session with its one HttpClient.</summary>
internal static class ConnectionFactory
{
    /// <summary>A new connection; nothing is sent yet (<see cref="AuditSession.VerifyAsync"/> does the first request).</summary>
    public static ConfluenceAuditConnection Create(ConnectionOptions options)
    {
        var baseUri = BaseUriNormalizer.Normalize(options.BaseUri, options.Deployment);
        if (baseUri.Scheme == Uri.UriSchemeHttp && !BaseUriNormalizer.IsLoopback(baseUri) && !options.AllowUnencryptedAuthentication)
        {
            throw new UnencryptedAuthenticationException(baseUri);
        }

        var deployment = options.Deployment ?? (BaseUriNormalizer.IsCloudHost(baseUri) ? ConfluenceDeployment.Cloud : ConfluenceDeployment.DataCenter);
        var timeout = options.TimeoutSec == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(options.TimeoutSec);
        var http = new AuditHttpClient(baseUri, options.Credential, timeout, options.UserAgent, options.Handler ?? CreateHandler(options),
            options.RetryPolicy ?? new RetryPolicy(options.MaximumRetryCount, options.RetryIntervalSec, options.MaximumRetryWaitSec));
        var session = new AuditSession(http, deployment, options);
        return new ConfluenceAuditConnection(session, options.Source);
    }

    /// <summary>
    /// The network side of a connection: never following a redirect with credentials (Data Center sends anonymous
    /// requests to its login page), no cookies, the system proxy unless another is given, and certificates checked
    /// unless the user turned that off.
    /// </summary>
    internal static HttpClientHandler CreateHandler(ConnectionOptions options)
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseCookies = false,
        };
        if (options.Proxy is not null)
        {
            handler.UseProxy = true;
            handler.Proxy = new WebProxy(options.Proxy) { Credentials = options.ProxyCredential };
        }

        if (options.SkipCertificateCheck)
        {
            handler.ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) => true;
        }

        return handler;
    }
}
