using System.Collections.Generic;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.PowerShell;

/// <summary>
/// What to change, in the module's parameters, for a failure the core reported in the API's terms. The core never names
/// a parameter (it is called the same way from every cmdlet and from tests); this table is where its errors meet them.
/// </summary>
internal static class ErrorAdvice
{
    /// <summary>The advice for an API failure, or null when the message already says all there is to do.</summary>
    public static string? For(ConfluenceApiException exception)
    {
        var advice = new List<string>(2);
        switch (exception.ErrorId)
        {
            case "ConfluenceAuthenticationFailed" when exception.IssuedToken:
                advice.Add("Connect again with -ClientCredential (user name: the client id; password: the client secret), -Scope and -TokenUri as the credential needs, " +
                    "or correct CONFLUENCE_CLIENT_ID, CONFLUENCE_CLIENT_SECRET and CONFLUENCE_TOKEN_URI.");
                break;
            case "ConfluenceAuthenticationFailed":
                advice.Add("Connect with -Credential (user name: the Atlassian account e-mail; password: an API token) for Cloud, or with -Token and a personal access token for Data Center.");
                break;
            case "ConfluenceProxyAuthenticationFailed":
                advice.Add("Pass the proxy's credentials with Connect-ConfluenceAudit -ProxyCredential, or check the ones given.");
                break;
            case "ConfluenceTimeout":
                advice.Add("If the server is just slow, connect with a larger -TimeoutSec.");
                break;
            case "ConfluenceConnectionFailed" when !exception.Transient:
                advice.Add("Or, on a network you trust, connect with -SkipCertificateCheck.");
                break;
            case "ConfluencePagingStalled":
                advice.Add("Try again, or narrow the range with -StartDate/-EndDate.");
                break;
        }

        if (exception.Attempts > 1)
        {
            advice.Add("Connect with -MaximumRetryCount and -RetryIntervalSec to retry longer.");
        }

        if (exception.OutcomeUnknown)
        {
            advice.Add("Check with Get-ConfluenceAuditRecord -SearchString before creating it again.");
        }

        return advice.Count == 0 ? null : string.Join(" ", advice);
    }

    /// <summary>The advice for a request the core refused before sending it, by its error id.</summary>
    public static string? For(InvalidAuditRequestException exception) => exception.ErrorId switch
    {
        "DataCenterFilterNotSupported" => "-Category, -Action, -AuthorId and -AffectedObject cannot be used here: use -SearchString, or filter the records with Where-Object.",
        "RetentionUnitNotSupported" => "Use -Unit Days, Weeks, Months or Years.",
        _ => null,
    };

    /// <summary>What to do with a checkpoint file that cannot be used.</summary>
    public static string CheckpointUnusable => "Move it away and start again with -StartDate to pull from a given date, or give another -CheckpointPath.";

    /// <summary>Plain http to a host that is not loopback.</summary>
    public static string UnencryptedAuthentication => "Pass -AllowUnencryptedAuthentication if you accept the risk.";
}
