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
    internal const string ClientCredentialSet = "ClientCredential";
    internal const string EnvironmentSet = "Environment";

    [Parameter(Position = 0, ParameterSetName = CredentialSet)]
    [Parameter(Position = 0, ParameterSetName = TokenSet)]
    [Parameter(Position = 0, ParameterSetName = ClientCredentialSet)]
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

    /// <summary>A service account's OAuth 2.0 credential: user name = client id, password = client secret.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClientCredentialSet)]
    [Credential]
    [ValidateNotNull]
    public PSCredential? ClientCredential { get; set; }

    /// <summary>The OAuth 2.0 token endpoint; by default Atlassian's for Cloud, the server's /rest/oauth2/latest/token for Data Center.</summary>
    [Parameter(ParameterSetName = ClientCredentialSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateNotNull]
    public Uri? TokenUri { get; set; }

    /// <summary>The scopes to ask for, such as read:audit-log:confluence; by default none is named and the credential's own apply.</summary>
    [Parameter(ParameterSetName = ClientCredentialSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Scope { get; set; }

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

        CheckTokenParameters();
        var baseUri = BaseUri ?? BaseUriFromEnvironment();
        var options = CreateOptions(baseUri);
        options.TimeoutSec = TimeoutSec;
        options.AllowUnencryptedAuthentication = AllowUnencryptedAuthentication.IsPresent;
        options.MaximumRetryCount = MaximumRetryCount;
        options.RetryIntervalSec = RetryIntervalSec;
        options.MaximumRetryWaitSec = MaximumRetryWaitSec;
        options.MaxConcurrency = MaxConcurrency;
        options.Deployment = Deployment;
        options.Proxy = Proxy;
        options.ProxyCredential = ProxyCredential?.GetNetworkCredential();
        options.SkipCertificateCheck = SkipCertificateCheck.IsPresent;
        options.UserAgent = UserAgent();
        ConfluenceAuditConnection connection;
        try
        {
            connection = ConnectionFactory.Create(options);
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

        WriteVerbose($"Connected to {connection.BaseUri} ({connection.Deployment}, {connection.AuditApi}) with {connection.AuthenticationType} authentication; it is now the default connection." +
            (connection.TokenExpiresAt is DateTimeOffset lapses ? $" The access token lapses at {lapses:u} and is renewed before then." : string.Empty));
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

    private void CheckTokenParameters()
    {
        if (TokenUri is not null && (!TokenUri.IsAbsoluteUri || (TokenUri.Scheme != Uri.UriSchemeHttp && TokenUri.Scheme != Uri.UriSchemeHttps) ||
            !string.IsNullOrEmpty(TokenUri.UserInfo) || !string.IsNullOrEmpty(TokenUri.Query)))
        {
            Fail("ConfluenceTokenUriInvalid", ErrorCategory.InvalidArgument,
                "-TokenUri must be the token endpoint's absolute https address without a user part or query, such as https://auth.atlassian.com/oauth/token " +
                "(Cloud) or https://wiki.example.com/confluence/rest/oauth2/latest/token (Data Center).", TokenUri.IsAbsoluteUri ? TokenUri.GetLeftPart(UriPartial.Path) : null);
        }

        foreach (var scope in Scope ?? Array.Empty<string>())
        {
            if (string.IsNullOrWhiteSpace(scope))
            {
                Fail("ConfluenceScopeInvalid", ErrorCategory.InvalidArgument,
                    "-Scope holds an empty scope. Name the scopes to ask for, such as -Scope read:audit-log:confluence, write:audit-log:confluence.", scope);
            }
        }
    }

    private ConnectionOptions CreateOptions(Uri baseUri)
    {
        switch (ParameterSetName)
        {
            case CredentialSet:
                if (string.IsNullOrWhiteSpace(Credential!.UserName))
                {
                    Fail("ConfluenceCredentialInvalid", ErrorCategory.InvalidArgument,
                        "The credential has no user name. For Cloud, the user name is your Atlassian account e-mail and the password an API token.", null);
                }

                return new ConnectionOptions(baseUri, ConfluenceCredential.Basic(Credential.UserName.TrimStart('\\'), Credential.Password), "Parameters");
            case TokenSet:
                if (Token!.Length == 0)
                {
                    Fail("ConfluenceCredentialInvalid", ErrorCategory.InvalidArgument, "The token is empty. Pass a personal access token or an OAuth access token.", null);
                }

                return new ConnectionOptions(baseUri, ConfluenceCredential.Bearer(Token), "Parameters");
            case ClientCredentialSet:
                if (string.IsNullOrWhiteSpace(ClientCredential!.UserName) || ClientCredential.Password.Length == 0)
                {
                    Fail("ConfluenceCredentialInvalid", ErrorCategory.InvalidArgument,
                        "-ClientCredential needs the service account's OAuth 2.0 client id as the user name and its client secret as the password.", ClientCredential.UserName);
                }

                return new ConnectionOptions(baseUri,
                    new ClientCredentials(ClientCredential.UserName.TrimStart('\\').Trim(), ClientCredential.Password, TokenUri, Scope), "Parameters");
            default:
                ConnectionOptions? fromEnvironment = null;
                try
                {
                    fromEnvironment = EnvironmentConnection.Options(baseUri, "Environment", TokenUri, Scope);
                }
                catch (ArgumentException exception)
                {
                    Fail("ConfluenceEnvironmentInvalid", ErrorCategory.InvalidArgument, exception.Message, null, exception);
                }

                if (fromEnvironment is null)
                {
                    Fail("ConfluenceCredentialMissing", ErrorCategory.InvalidArgument,
                        "No credentials. Pass -Credential (user name: Atlassian account e-mail; password: API token), -ClientCredential (a service account's " +
                        "client id and secret) or -Token (a personal access token or OAuth token), " +
                        $"or set {EnvironmentConnection.Email} and {EnvironmentConnection.ApiToken}, {EnvironmentConnection.ClientId} and " +
                        $"{EnvironmentConnection.ClientSecret}, or {EnvironmentConnection.Token}.", null);
                }

                if ((TokenUri is not null || Scope is not null) && fromEnvironment!.ClientCredentials is null)
                {
                    Fail("ConfluenceCredentialInvalid", ErrorCategory.InvalidArgument,
                        $"-TokenUri and -Scope go with a service account's client credentials, but the environment gives another credential: set {EnvironmentConnection.ClientId} " +
                        $"and {EnvironmentConnection.ClientSecret}, or leave -TokenUri and -Scope out.", null);
                }

                return fromEnvironment!;
        }
    }
}
