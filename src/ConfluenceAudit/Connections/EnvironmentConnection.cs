using System;
using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace ConfluenceAudit.Connections;

/// <summary>
/// CONFLUENCE_BASE_URL with CONFLUENCE_EMAIL and CONFLUENCE_API_TOKEN (Basic), or CONFLUENCE_CLIENT_ID and
/// CONFLUENCE_CLIENT_SECRET (a service account's OAuth 2.0 client credentials, CONFLUENCE_TOKEN_URI optional), or
/// CONFLUENCE_TOKEN (Bearer), in that order: what unattended scripts set instead of calling Connect-ConfluenceAudit.
/// </summary>
internal static class EnvironmentConnection
{
    public const string BaseUrl = "CONFLUENCE_BASE_URL";
    public const string Email = "CONFLUENCE_EMAIL";
    public const string ApiToken = "CONFLUENCE_API_TOKEN";
    public const string Token = "CONFLUENCE_TOKEN";
    public const string ClientId = "CONFLUENCE_CLIENT_ID";
    public const string ClientSecret = "CONFLUENCE_CLIENT_SECRET";
    public const string TokenUri = "CONFLUENCE_TOKEN_URI";

    /// <summary>
    /// The connection options the variables give for <paramref name="baseUri"/>, by the precedence above; null when
    /// they give no credentials. An ArgumentException when only one of the client id and secret is set, or the token
    /// endpoint is not an absolute URL. <paramref name="tokenUri"/> and <paramref name="scopes"/>, when given, win over
    /// CONFLUENCE_TOKEN_URI.
    /// </summary>
    public static ConnectionOptions? Options(Uri baseUri, string source, Uri? tokenUri = null, string[]? scopes = null)
    {
        var clientCredentials = ServiceAccount(tokenUri, scopes);
        var credential = Credential();
        if (credential is not null && (credential.Scheme == "Basic" || clientCredentials is null))
        {
            return new ConnectionOptions(baseUri, credential, source);
        }

        return clientCredentials is null ? null : new ConnectionOptions(baseUri, clientCredentials, source);
    }

    /// <summary>CONFLUENCE_CLIENT_ID and CONFLUENCE_CLIENT_SECRET; null when neither is set.</summary>
    public static ClientCredentials? ServiceAccount(Uri? tokenUri = null, string[]? scopes = null)
    {
        var id = Environment.GetEnvironmentVariable(ClientId);
        var secret = Environment.GetEnvironmentVariable(ClientSecret);
        if (string.IsNullOrEmpty(id) && string.IsNullOrEmpty(secret))
        {
            return null;
        }

        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret))
        {
            throw new ArgumentException(string.IsNullOrEmpty(id)
                ? $"{ClientSecret} is set but {ClientId} is not. Set both to the service account's OAuth 2.0 client id and secret, or neither."
                : $"{ClientId} is set but {ClientSecret} is not. Set both to the service account's OAuth 2.0 client id and secret, or neither.");
        }

        if (tokenUri is null && Environment.GetEnvironmentVariable(TokenUri) is { Length: > 0 } text)
        {
            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out tokenUri))
            {
                throw new ArgumentException($"{TokenUri} ('{text}') is not an absolute URL. Set it to the token endpoint, such as https://auth.atlassian.com/oauth/token, or leave it unset.");
            }
        }

        return new ClientCredentials(id!.Trim(), ToSecureString(secret!), tokenUri, scopes);
    }

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
            Environment.GetEnvironmentVariable(Token),
            Environment.GetEnvironmentVariable(ClientId),
            Environment.GetEnvironmentVariable(ClientSecret),
            Environment.GetEnvironmentVariable(TokenUri));
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
