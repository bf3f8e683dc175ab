using System;
using System.Net;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Connections;

/// <summary>
/// Turns what a user types as the site address into the URL the REST paths hang off.
/// Cloud sites (https://acme.atlassian.net, https://api.atlassian.com/ex/confluence/{cloudId}) serve
/// Confluence under /wiki, which users usually leave out; any other server is used as given, with its
/// context path (https://wiki.example.com/confluence).
/// </summary>
internal static class BaseUriNormalizer
{
    private static readonly char[] PathSeparator = { '/' };

    /// <summary>Atlassian's API gateway, through which OAuth 2.0 access tokens reach a Cloud site.</summary>
    public static readonly Uri Gateway = new Uri("https://api.atlassian.com/");

    /// <param name="deployment">Cloud or DataCenter when the user said so; by default Cloud hosts are recognised by name.</param>
    public static Uri Normalize(Uri baseUri, ConfluenceDeployment? deployment = null)
    {
        Validate(baseUri);
        var path = baseUri.AbsolutePath.TrimEnd('/');

        // Only Atlassian's own hosts get /wiki: a server named as Data Center, or any other host, keeps its path as given.
        if (IsCloudHost(baseUri) && deployment != ConfluenceDeployment.DataCenter)
        {
            // Keep everything up to /wiki: a pasted page address (…/wiki/spaces/ENG/overview) still works.
            var wikiAt = path.IndexOf("/wiki", StringComparison.OrdinalIgnoreCase);
            while (wikiAt >= 0 && !(wikiAt + 5 == path.Length || path[wikiAt + 5] == '/'))
            {
                wikiAt = path.IndexOf("/wiki", wikiAt + 5, StringComparison.OrdinalIgnoreCase);
            }

            if (IsGatewayHost(baseUri))
            {
                path = wikiAt >= 0 ? path.Substring(0, wikiAt) : path;
                var segments = path.Split(PathSeparator, StringSplitOptions.RemoveEmptyEntries);
                if (segments.Length != 3 || !segments[0].Equals("ex", StringComparison.OrdinalIgnoreCase) ||
                    !segments[1].Equals("confluence", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException(
                        $"'{baseUri}' is not a Confluence address on api.atlassian.com. Use https://api.atlassian.com/ex/confluence/<cloudId>, where <cloudId> is your site's id " +
                        "(https://<site>.atlassian.net/_edge/tenant_info shows it).");
                }

                path = "/" + string.Join("/", segments) + "/wiki";
            }
            else
            {
                path = wikiAt >= 0 ? path.Substring(0, wikiAt + 5) : "/wiki";
            }
        }
        else if (IsGatewayPath(path.Split(PathSeparator, StringSplitOptions.RemoveEmptyEntries), 3))
        {
            // The gateway's path on another host (a proxy, the emulator) standing in for it.
            path += "/wiki";
        }

        var builder = new UriBuilder(baseUri.Scheme, baseUri.Host, baseUri.Port, path);
        return builder.Uri;
    }

    public static bool IsCloudHost(Uri uri) =>
        uri.Host.EndsWith(".atlassian.net", StringComparison.OrdinalIgnoreCase) || IsGatewayHost(uri);

    /// <summary>True for a normalized gateway address, …/ex/confluence/&lt;cloudId&gt;/wiki, on any host.</summary>
    public static bool IsGatewayAddress(Uri normalized)
    {
        var segments = normalized.AbsolutePath.Split(PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return IsGatewayPath(segments, 4) && segments[3].Equals("wiki", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsGatewayPath(string[] segments, int length) =>
        segments.Length == length && segments[0].Equals("ex", StringComparison.OrdinalIgnoreCase) && segments[1].Equals("confluence", StringComparison.OrdinalIgnoreCase);

    public static bool IsLoopback(Uri uri)
    {
        if (uri.IsLoopback)
        {
            return true;
        }

        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    private static bool IsGatewayHost(Uri uri) => uri.Host.Equals("api.atlassian.com", StringComparison.OrdinalIgnoreCase);

    private static void Validate(Uri baseUri)
    {
        // Checked first, and no message below repeats the URL's user part: a secret in it must never reach an error.
        if (baseUri.IsAbsoluteUri ? !string.IsNullOrEmpty(baseUri.UserInfo) : baseUri.OriginalString.IndexOf('@') >= 0)
        {
            throw new ArgumentException("The base URL must not contain a user name or password: the credentials are given separately, never in the address.");
        }

        if (!baseUri.IsAbsoluteUri)
        {
            throw new ArgumentException($"'{baseUri}' is not an absolute URL. Give the full address, such as https://acme.atlassian.net.");
        }

        if (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"'{baseUri.Scheme}:' is not http or https. Give the site's address, such as https://acme.atlassian.net.");
        }

        if (!string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.Fragment))
        {
            throw new ArgumentException($"The base URL must not contain a query or fragment ('{baseUri.GetLeftPart(UriPartial.Path)}' is probably what you meant).");
        }
    }
}
