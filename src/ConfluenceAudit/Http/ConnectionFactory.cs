using System;
using System.Net.Http;
using System.Security;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Http
{
    /// <summary>What a connection is made from, whether typed as parameters or read from the environment.</summary>
    internal sealed class ConnectionOptions
    {
        public ConnectionOptions(Uri baseUri, ConfluenceCredential credential, string source)
        {
            BaseUri = baseUri;
            Credential = credential;
            Source = source;
        }

        public Uri BaseUri { get; }

        public ConfluenceCredential Credential { get; }

        public string Source { get; }

        /// <summary>Seconds one request may take; 0 for no limit.</summary>
        public int TimeoutSec { get; set; } = ConnectionFactory.DefaultTimeoutSec;

        public bool AllowUnencryptedAuthentication { get; set; }

        public RetryPolicy RetryPolicy { get; set; } = new RetryPolicy();

        public int MaxConcurrency { get; set; } = AuditApiClient.DefaultMaxConcurrency;

        /// <summary>A proxy to use instead of the system's; null for the system proxy.</summary>
        public Uri? Proxy { get; set; }

        /// <summary>Credentials for <see cref="Proxy"/>.</summary>
        public System.Net.NetworkCredential? ProxyCredential { get; set; }

        /// <summary>Accept any server certificate (a Data Center server with a private certificate). Off by default.</summary>
        public bool SkipCertificateCheck { get; set; }

        /// <summary>Cloud or DataCenter as the user said; null to decide from the host name.</summary>
        public ConfluenceDeployment? Deployment { get; set; }

        public string UserAgent { get; set; } = "ConfluenceAudit";

        /// <summary>Test seam: a handler standing in for the network.</summary>
        public HttpMessageHandler? Handler { get; set; }
    }

    internal static class ConnectionFactory
    {
        public const int DefaultTimeoutSec = 100;

        public static ConfluenceAuditConnection Create(ConnectionOptions options)
        {
            var baseUri = BaseUriNormalizer.Normalize(options.BaseUri, options.Deployment);
            if (baseUri.Scheme == Uri.UriSchemeHttp && !BaseUriNormalizer.IsLoopback(baseUri) && !options.AllowUnencryptedAuthentication)
            {
                throw new UnencryptedAuthenticationException(baseUri);
            }

            var deployment = options.Deployment ?? (BaseUriNormalizer.IsCloudHost(baseUri) ? ConfluenceDeployment.Cloud : ConfluenceDeployment.DataCenter);
            var timeout = options.TimeoutSec == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(options.TimeoutSec);
            var client = new AuditApiClient(baseUri, options.Credential, timeout, options.UserAgent, options.Handler ?? CreateHandler(options), options.RetryPolicy)
            {
                MaxConcurrency = options.MaxConcurrency,
                Deployment = deployment,
                DeploymentGiven = options.Deployment.HasValue,
            };
            return new ConfluenceAuditConnection(client, options.Credential.UserName, options.Credential.Scheme, options.Source)
            {
                Proxy = options.Proxy,
                SkipCertificateCheck = options.SkipCertificateCheck,
            };
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
                AutomaticDecompression = System.Net.DecompressionMethods.GZip | System.Net.DecompressionMethods.Deflate,
                UseCookies = false,
            };
            if (options.Proxy is not null)
            {
                handler.UseProxy = true;
                handler.Proxy = new System.Net.WebProxy(options.Proxy) { Credentials = options.ProxyCredential };
            }

            if (options.SkipCertificateCheck)
            {
                handler.ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) => true;
            }

            return handler;
        }

        /// <summary>
        /// CONFLUENCE_BASE_URL with CONFLUENCE_EMAIL and CONFLUENCE_API_TOKEN (Basic), or CONFLUENCE_TOKEN (Bearer):
        /// what unattended scripts set instead of calling Connect-ConfluenceAudit.
        /// </summary>
        public static ConfluenceCredential? CredentialFromEnvironment()
        {
            var email = Environment.GetEnvironmentVariable(EnvironmentNames.Email);
            var apiToken = Environment.GetEnvironmentVariable(EnvironmentNames.ApiToken);
            if (!string.IsNullOrEmpty(email) && !string.IsNullOrEmpty(apiToken))
            {
                return ConfluenceCredential.Basic(email!, ToSecureString(apiToken!));
            }

            var token = Environment.GetEnvironmentVariable(EnvironmentNames.Token);
            return string.IsNullOrEmpty(token) ? null : ConfluenceCredential.Bearer(ToSecureString(token!));
        }

        /// <summary>
        /// A digest of the CONFLUENCE_* variables, so a connection made from them is replaced when they change
        /// (a corrected token in the same session). Only a hash is kept, never the values.
        /// </summary>
        public static string EnvironmentFingerprint()
        {
            var text = string.Join("\n",
                Environment.GetEnvironmentVariable(EnvironmentNames.BaseUrl),
                Environment.GetEnvironmentVariable(EnvironmentNames.Email),
                Environment.GetEnvironmentVariable(EnvironmentNames.ApiToken),
                Environment.GetEnvironmentVariable(EnvironmentNames.Token));
            using var sha = System.Security.Cryptography.SHA256.Create();
            return Convert.ToBase64String(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(text)));
        }

        public static Uri? BaseUriFromEnvironment()
        {
            var text = Environment.GetEnvironmentVariable(EnvironmentNames.BaseUrl);
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (!Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var uri))
            {
                throw new ArgumentException($"{EnvironmentNames.BaseUrl} ('{text}') is not an absolute URL. Set it to your site's address, such as https://acme.atlassian.net.");
            }

            return uri;
        }

        private static SecureString ToSecureString(string text)
        {
            var secure = new SecureString();
            foreach (var c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }

    internal static class EnvironmentNames
    {
        public const string BaseUrl = "CONFLUENCE_BASE_URL";
        public const string Email = "CONFLUENCE_EMAIL";
        public const string ApiToken = "CONFLUENCE_API_TOKEN";
        public const string Token = "CONFLUENCE_TOKEN";
    }

    /// <summary>Credentials would cross the network in clear text.</summary>
    internal sealed class UnencryptedAuthenticationException : Exception
    {
        public UnencryptedAuthenticationException(Uri baseUri)
            : base($"'{baseUri.AbsoluteUri}' uses plain http, which would send the credentials unencrypted. Use https, " +
                   "or pass -AllowUnencryptedAuthentication if you accept the risk (plain http is allowed without it only for loopback addresses).")
        {
        }
    }
}
