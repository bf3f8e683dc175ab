using System;
using System.Management.Automation;
using ConfluenceAudit.Connections;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Models;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>A cmdlet that calls the audit API: it takes -Connection, or uses the session's default connection.</summary>
public abstract class ConfluenceAuditApiCmdlet : ConfluenceAuditCmdlet
{
    /// <summary>The site to work with; by default the one Connect-ConfluenceAudit made, or one made from CONFLUENCE_* variables.</summary>
    [Parameter]
    [ValidateNotNull]
    public ConfluenceAuditConnection? Connection { get; set; }

    /// <summary>
    /// -Connection, else the default connection, else a connection made from the environment (which then becomes
    /// the default, so a script's cmdlets share its HttpClient). Fails with instructions when there is none.
    /// </summary>
    internal ConfluenceAuditConnection ResolveConnection()
    {
        var connection = Connection ?? ConnectionStore.Default;
        if (Connection is null && connection?.EnvironmentFingerprint is string made && made != EnvironmentConnection.Fingerprint())
        {
            // The CONFLUENCE_* variables changed since this connection was made from them: use the new values.
            ConnectionStore.Release(connection!);
            connection = null;
        }

        if (connection is null)
        {
            connection = ConnectFromEnvironment();
        }

        if (connection.IsDisposed)
        {
            Fail("ConfluenceConnectionClosed", ErrorCategory.InvalidOperation,
                $"The connection to {connection.BaseUri} was closed by Disconnect-ConfluenceAudit. Run Connect-ConfluenceAudit again.", connection);
        }

        return connection;
    }

    /// <summary>The session behind <see cref="ResolveConnection"/>: what the cmdlets call.</summary>
    internal AuditSession ResolveSession() => AuditSession.Of(ResolveConnection());

    /// <summary>A -StartDate/-EndDate query, refused before any request when the dates cannot be right.</summary>
    internal AuditQuery BuildRangeQuery(DateTime? startDate, DateTime? endDate, string? searchString)
    {
        var start = ToInstant(startDate, "StartDate");
        var end = ToInstant(endDate, "EndDate");
        if (start.HasValue && end.HasValue && start.Value > end.Value)
        {
            Fail("InvalidDateRange", ErrorCategory.InvalidArgument,
                $"-StartDate ({start.Value:u}) is after -EndDate ({end.Value:u}). Give a start date before the end date.", startDate);
        }

        return AuditQuery.Range(start, end, searchString);
    }

    /// <summary>A DateTime as the user gave it (Kind Unspecified counts as local), refused when it cannot be an audit date.</summary>
    private DateTimeOffset? ToInstant(DateTime? value, string parameterName)
    {
        if (!value.HasValue)
        {
            return null;
        }

        DateTimeOffset instant;
        try
        {
            instant = value.Value.Kind == DateTimeKind.Utc ? new DateTimeOffset(value.Value, TimeSpan.Zero) : new DateTimeOffset(DateTime.SpecifyKind(value.Value, DateTimeKind.Local));
        }
        catch (ArgumentOutOfRangeException exception)
        {
            Fail("DateOutOfRange", ErrorCategory.InvalidArgument, $"-{parameterName} {value.Value} cannot be expressed as a point in time. Give a date after 1970.", value.Value, exception);
            return null;
        }

        if (instant < DateTimeOffset.FromUnixTimeMilliseconds(0))
        {
            Fail("DateOutOfRange", ErrorCategory.InvalidArgument,
                $"-{parameterName} {value.Value} is before 1970; the audit API counts dates from 1 January 1970 (UTC). Give a later date.", value.Value);
        }

        return instant;
    }

    private ConfluenceAuditConnection ConnectFromEnvironment()
    {
        try
        {
            var baseUri = EnvironmentConnection.BaseUri();
            var options = baseUri is null ? null : EnvironmentConnection.Options(baseUri, "Environment");
            if (options is not null)
            {
                options.UserAgent = UserAgent();
                var connection = ConnectionFactory.Create(options);
                connection.EnvironmentFingerprint = EnvironmentConnection.Fingerprint();
                ConnectionStore.Track(connection);
                ConnectionStore.Default = connection;
                WriteVerbose($"Connected to {connection.BaseUri} from the {EnvironmentConnection.BaseUrl} environment variables.");
                return connection;
            }
        }
        catch (ArgumentException exception)
        {
            Fail("ConfluenceEnvironmentInvalid", ErrorCategory.InvalidArgument, exception.Message, null, exception);
        }
        catch (UnencryptedAuthenticationException exception)
        {
            Fail("ConfluenceEnvironmentInvalid", ErrorCategory.InvalidArgument, exception.Message, null, exception,
                $"Set {EnvironmentConnection.BaseUrl} to the site's https address.");
        }

        Fail("ConfluenceNotConnected", ErrorCategory.ConnectionError,
            "There is no connection to Confluence. Run Connect-ConfluenceAudit -BaseUri https://<site>.atlassian.net -Credential (Get-Credential) " +
            "(user name: your Atlassian account e-mail; password: an API token), pass -Connection, or for unattended use set " +
            $"{EnvironmentConnection.BaseUrl} with {EnvironmentConnection.Email} and {EnvironmentConnection.ApiToken}, with {EnvironmentConnection.ClientId} and " +
            $"{EnvironmentConnection.ClientSecret} (a service account), or with {EnvironmentConnection.Token}.",
            null);
        throw new InvalidOperationException("unreachable");
    }
}
