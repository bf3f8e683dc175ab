using System;
using System.Management.Automation;
using System.Security;
using ConfluenceAudit.Connections;
using ConfluenceAudit.Models;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>Connects to a Confluence site, checks the credentials with one cheap request, and makes it the session's default.</summary>
[Cmdlet(VerbsCommunications.Connect, "ConfluenceAudit", DefaultParameterSetName = EnvironmentSet)]
[OutputType(typeof(ConfluenceAuditConnection))]
public sealed class ConnectConfluenceAuditCommand : ConfluenceAuditCmdlet
{
    internal const string CredentialSet = "Credential";
    internal const string TokenSet = "Token";
    internal const string EnvironmentSet = "Environment";

    [Parameter(Position = 0, ParameterSetName = CredentialSet)]
    [Parameter(Position = 0, ParameterSetName = TokenSet)]
    [Parameter(Position = 0, ParameterSetName = EnvironmentSet)]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [Credential]
    [ValidateNotNull]
    public PSCredential? Credential { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
    [ValidateNotNull]
    public SecureString? Token { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; } = ConnectionOptions.DefaultTimeoutSec;

    /// <summary>Cloud or DataCenter; by default *.atlassian.net and api.atlassian.com are Cloud and any other host Data Center.</summary>
    [Parameter]
    public ConfluenceDeployment? Deployment { get; set; }

    [Parameter]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    /// <summary>Accept the server's certificate without checking it (a Data Center server with a private certificate).</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>A proxy server to use instead of the system's.</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    /// <summary>Credentials for -Proxy.</summary>
    [Parameter]
    [Credential]
    [ValidateNotNull]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>How often a throttled (429), unavailable (503) or interrupted request is retried; 0 turns retries off.</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int MaximumRetryCount { get; set; } = ConnectionOptions.DefaultMaximumRetryCount;

    /// <summary>The first wait before a retry when the server sends no Retry-After; it doubles with each retry, up to 30 seconds. 0 retries at once.</summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    public int RetryIntervalSec { get; set; } = ConnectionOptions.DefaultRetryIntervalSec;

    /// <summary>The longest wait before a retry; a longer Retry-After from the server is cut to it.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int MaximumRetryWaitSec { get; set; } = ConnectionOptions.DefaultMaximumRetryWaitSec;

    /// <summary>
    /// How many page requests a listing keeps in flight at once. Pages are still written in order; a site that
    /// throttles is read one page at a time. 1 reads page after page.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 16)]
    public int MaxConcurrency { get; set; } = ConnectionOptions.DefaultMaxConcurrency;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        if (ProxyCredential is not null && Proxy is null)
        {
            Fail("ConfluenceProxyMissing", ErrorCategory.InvalidArgument, "-ProxyCredential needs -Proxy: give the proxy's address too.", ProxyCredential.UserName);
        }

        if (Proxy is not null && (!Proxy.IsAbsoluteUri || (Proxy.Scheme != Uri.UriSchemeHttp && Proxy.Scheme != Uri.UriSchemeHttps)))
        {
            Fail("ConfluenceProxyInvalid", ErrorCategory.InvalidArgument, $"-Proxy '{Proxy}' is not an absolute http or https URL, such as http://proxy.example.com:8080.", Proxy);
        }

        if (SkipCertificateCheck)
        {
            WriteWarning("-SkipCertificateCheck: the server's certificate is not checked, so this connection cannot tell the server from an impostor. " +
                "Use it only for a Data Center server with a private certificate on a network you trust, and prefer adding its certificate authority to this machine's trusted ones.");
        }

        var baseUri = BaseUri ?? BaseUriFromEnvironment();
        var credential = CreateCredential();
        ConfluenceAuditConnection connection;
        try
        {
            connection = ConnectionFactory.Create(new ConnectionOptions(baseUri, credential, ParameterSetName == EnvironmentSet ? "Environment" : "Parameters")
            {
                TimeoutSec = TimeoutSec,
                AllowUnencryptedAuthentication = AllowUnencryptedAuthentication.IsPresent,
                MaximumRetryCount = MaximumRetryCount,
                RetryIntervalSec = RetryIntervalSec,
                MaximumRetryWaitSec = MaximumRetryWaitSec,
                MaxConcurrency = MaxConcurrency,
                Deployment = Deployment,
                Proxy = Proxy,
                ProxyCredential = ProxyCredential?.GetNetworkCredential(),
                SkipCertificateCheck = SkipCertificateCheck.IsPresent,
                UserAgent = UserAgent(),
            });
        }
        catch (UnencryptedAuthenticationException exception)
        {
            Fail("ConfluenceUnencryptedAuthentication", ErrorCategory.SecurityError, exception.Message, baseUri, exception, ErrorAdvice.UnencryptedAuthentication);
            return;
        }
        catch (ArgumentException exception)
        {
            Fail("ConfluenceBaseUriInvalid", ErrorCategory.InvalidArgument, exception.Message, baseUri, exception);
            return;
        }

        var session = AuditSession.Of(connection);
        var verified = false;
        try
        {
            // One record is the cheapest request every audit API answers, and it proves read access to the log. On Data
            // Center, finding out which API the server offers is that request.
            verified = TryRun(async token => { await session.VerifyAsync(Log, token).ConfigureAwait(false); return true; }, connection.BaseUri, out _);
        }
        finally
        {
            if (!verified)
            {
                connection.Dispose();
            }
        }

        if (!verified)
        {
            return;
        }

        ConnectionStore.Track(connection);
        ConnectionStore.Default = connection;
        if (session.FrameworkReadsLimited)
        {
            WriteWarning($"{connection.UserName ?? "This account"} may not read the whole audit log of {connection.BaseUri} (403): it is not a global administrator. " +
                "Only reads of the spaces it administers will work: Get-ConfluenceAuditRecord -AffectedObject space,<space id>.");
        }

        WriteVerbose($"Connected to {connection.BaseUri} ({connection.Deployment}, {connection.AuditApi}) with {connection.AuthenticationType} authentication; it is now the default connection.");
        if (PassThru)
        {
            WriteObject(connection);
        }
    }

    private Uri BaseUriFromEnvironment()
    {
        try
        {
            var fromEnvironment = EnvironmentConnection.BaseUri();
            if (fromEnvironment is not null)
            {
                return fromEnvironment;
            }
        }
        catch (ArgumentException exception)
        {
            Fail("ConfluenceBaseUriInvalid", ErrorCategory.InvalidArgument, exception.Message, null, exception);
        }

        Fail("ConfluenceBaseUriMissing", ErrorCategory.InvalidArgument,
            $"Which site? Pass -BaseUri (https://<site>.atlassian.net for Cloud, the server's URL with its context path for Data Center) or set {EnvironmentConnection.BaseUrl}.",
            null);
        throw new InvalidOperationException("unreachable");
    }

    private ConfluenceCredential CreateCredential()
    {
        switch (ParameterSetName)
        {
            case CredentialSet:
                if (string.IsNullOrWhiteSpace(Credential!.UserName))
                {
                    Fail("ConfluenceCredentialInvalid", ErrorCategory.InvalidArgument,
                        "The credential has no user name. For Cloud, the user name is your Atlassian account e-mail and the password an API token.", null);
                }

                return ConfluenceCredential.Basic(Credential.UserName.TrimStart('\\'), Credential.Password);
            case TokenSet:
                if (Token!.Length == 0)
                {
                    Fail("ConfluenceCredentialInvalid", ErrorCategory.InvalidArgument, "The token is empty. Pass a personal access token or an OAuth access token.", null);
                }

                return ConfluenceCredential.Bearer(Token);
            default:
                var fromEnvironment = EnvironmentConnection.Credential();
                if (fromEnvironment is null)
                {
                    Fail("ConfluenceCredentialMissing", ErrorCategory.InvalidArgument,
                        $"No credentials. Pass -Credential (user name: Atlassian account e-mail; password: API token) or -Token (a personal access token or OAuth token), " +
                        $"or set {EnvironmentConnection.Email} and {EnvironmentConnection.ApiToken} (or {EnvironmentConnection.Token}).", null);
                }

                return fromEnvironment!;
        }
    }
}
