using System;
using System.Net;
using System.Net.Http;
using ConfluenceAudit.Authentication;
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

        var gateway = BaseUriNormalizer.IsGatewayAddress(baseUri);
        var deployment = options.Deployment ?? (BaseUriNormalizer.IsCloudHost(baseUri) || gateway ? ConfluenceDeployment.Cloud : ConfluenceDeployment.DataCenter);
        var timeout = options.TimeoutSec == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(options.TimeoutSec);
        var retry = options.RetryPolicy ?? new RetryPolicy(options.MaximumRetryCount, options.RetryIntervalSec, options.MaximumRetryWaitSec);
        var handler = options.Handler ?? CreateHandler(options);
        if (options.ClientCredentials is not ClientCredentials clientCredentials)
        {
            var http = new AuditHttpClient(baseUri, options.Credential!, timeout, options.UserAgent, handler, retry);
            return new ConfluenceAuditConnection(new AuditSession(http, deployment, options), options.Source);
        }

        // A service account: access tokens from the token endpoint, used through the API gateway. A Cloud site's own
        // address (or another host named Cloud: a proxy in front of the site) is turned into the gateway's with the
        // site's cloud id, found with the first request. The gateway is Atlassian's, except for a site on this machine,
        // which stands in for all of Atlassian (an emulator), gateway included.
        var tokenUri = clientCredentials.TokenUri ?? (deployment == ConfluenceDeployment.Cloud
            ? ClientCredentials.CloudTokenUri
            : new Uri(baseUri.AbsoluteUri.TrimEnd('/') + "/" + ClientCredentials.DataCenterTokenPath));
        if (!tokenUri.IsAbsoluteUri || (tokenUri.Scheme != Uri.UriSchemeHttps && tokenUri.Scheme != Uri.UriSchemeHttp) || !string.IsNullOrEmpty(tokenUri.UserInfo))
        {
            throw new ArgumentException($"The token endpoint '{tokenUri.GetLeftPart(UriPartial.Path)}' is not an absolute http or https URL without a user part, such as {ClientCredentials.CloudTokenUri}.");
        }

        if (tokenUri.Scheme == Uri.UriSchemeHttp && !BaseUriNormalizer.IsLoopback(tokenUri) && !options.AllowUnencryptedAuthentication)
        {
            throw new UnencryptedAuthenticationException(tokenUri);
        }

        var authorization = new ClientCredentialAuthorization(new OAuthClient(handler, timeout, options.UserAgent), tokenUri,
            clientCredentials.ClientId, clientCredentials.Secret, clientCredentials.Scope, retry);
        var client = new AuditHttpClient(baseUri, authorization, timeout, options.UserAgent, handler, retry);
        Uri? siteRoot = null;
        Uri? gatewayRoot = null;
        if (!gateway && deployment == ConfluenceDeployment.Cloud && (BaseUriNormalizer.IsCloudHost(baseUri) || options.Deployment == ConfluenceDeployment.Cloud))
        {
            siteRoot = new Uri(baseUri.GetLeftPart(UriPartial.Authority) + "/");
            gatewayRoot = BaseUriNormalizer.IsLoopback(baseUri) ? siteRoot : BaseUriNormalizer.Gateway;
        }

        var session = new AuditSession(client, deployment, options, authorization, siteRoot, gatewayRoot);
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
