using System;
using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace ConfluenceAudit.Connections;

/// <summary>
/// CONFLUENCE_BASE_URL with CONFLUENCE_EMAIL and CONFLUENCE_API_TOKEN (Basic), or CONFLUENCE_TOKEN (Bearer): what
/// unattended scripts set instead of calling Connect-ConfluenceAudit.
/// </summary>
internal static class EnvironmentConnection
{
    public const string BaseUrl = "CONFLUENCE_BASE_URL";
    public const string Email = "CONFLUENCE_EMAIL";
    public const string ApiToken = "CONFLUENCE_API_TOKEN";
    public const string Token = "CONFLUENCE_TOKEN";

    /// <summary>The credential the variables give, Basic before Bearer; null when they give none.</summary>
    public static ConfluenceCredential? Credential()
    {
        var email = Environment.GetEnvironmentVariable(Email);
        var apiToken = Environment.GetEnvironmentVariable(ApiToken);
        if (!string.IsNullOrEmpty(email) && !string.IsNullOrEmpty(apiToken))
        {
            return ConfluenceCredential.Basic(email!, ToSecureString(apiToken!));
        }

        var token = Environment.GetEnvironmentVariable(Token);
        return string.IsNullOrEmpty(token) ? null : ConfluenceCredential.Bearer(ToSecureString(token!));
    }

    /// <summary>CONFLUENCE_BASE_URL; null when it is not set, an ArgumentException when it is not an absolute URL.</summary>
    public static Uri? BaseUri()
    {
        var text = Environment.GetEnvironmentVariable(BaseUrl);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"{BaseUrl} ('{text}') is not an absolute URL. Set it to your site's address, such as https://acme.atlassian.net.");
        }

        return uri;
    }

    /// <summary>
    /// A digest of the CONFLUENCE_* variables, so a connection made from them is replaced when they change
    /// (a corrected token in the same session). Only a hash is kept, never the values.
    /// </summary>
    public static string Fingerprint()
    {
        var text = string.Join("\n",
            Environment.GetEnvironmentVariable(BaseUrl),
            Environment.GetEnvironmentVariable(Email),
            Environment.GetEnvironmentVariable(ApiToken),
            Environment.GetEnvironmentVariable(Token));
        using var sha = SHA256.Create();
        return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
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
