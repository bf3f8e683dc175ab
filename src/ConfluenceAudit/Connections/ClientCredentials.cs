using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;

namespace ConfluenceAudit.Connections;

/// <summary>
/// What a service account's OAuth 2.0 credential is given as: the client id, the secret (kept as a SecureString), and
/// optionally the token endpoint and the scopes to ask for. ToString shows the client id only.
/// </summary>
internal sealed class ClientCredentials
{
    /// <summary>Atlassian's token endpoint for Cloud.</summary>
    public static readonly Uri CloudTokenUri = new Uri("https://auth.atlassian.com/oauth/token");

    /// <summary>Data Center's, relative to the server's base URL.</summary>
    public const string DataCenterTokenPath = "rest/oauth2/latest/token";

    private static readonly char[] Space = { ' ' };

    public ClientCredentials(string clientId, SecureString secret, Uri? tokenUri = null, IEnumerable<string>? scopes = null)
    {
        ClientId = clientId;
        Secret = secret.Copy();
        Secret.MakeReadOnly();
        TokenUri = tokenUri;
        var given = scopes?.SelectMany(s => s.Split(Space, StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).ToArray();
        Scope = given is { Length: > 0 } ? string.Join(" ", given) : null;
    }

    public string ClientId { get; }

    public SecureString Secret { get; }

    /// <summary>The token endpoint given; null for the default (Atlassian's for Cloud, the server's own for Data Center).</summary>
    public Uri? TokenUri { get; }

    /// <summary>The scopes to ask for, space-separated; null to ask for none (the credential's own).</summary>
    public string? Scope { get; }

    public override string ToString() => "ClientCredentials " + ClientId;
}
