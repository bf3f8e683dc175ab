using System;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Authentication;

/// <summary>The errors of a token endpoint, in the OAuth 2.0 terms it answers in; none ever holds the secret or a token.</summary>
internal static class TokenFailures
{
    public const string ErrorId = "ConfluenceAuthenticationFailed";

    private const string WhatToCheck =
        "Check the client id and secret (a revoked or rotated secret is refused), the scopes asked for and granted to the credential " +
        "(read:audit-log:confluence, and write:audit-log:confluence to create records or change the retention), " +
        "and the service account's role on the site (reading the audit log needs a Confluence administrator).";

    /// <summary>The token endpoint refused the request (a 4xx answer): trying again cannot help.</summary>
    public static ConfluenceApiException Refused(Uri tokenUri, int status, string? error, string? description)
    {
        var said = error is null && description is null
            ? "without an OAuth error"
            : $"with error '{error ?? "(none)"}'" + (description is null ? string.Empty : $" ({description})");
        return new ConfluenceApiException(ErrorId, FailureKind.Authentication,
            $"The token endpoint {tokenUri.AbsoluteUri} refused the client credentials ({status}) {said}. {WhatToCheck}",
            status, error is null ? description : description is null ? error : error + ": " + description, "POST " + tokenUri.AbsoluteUri)
        {
            Transient = false,
            IssuedToken = true,
        };
    }

    /// <summary>No token could be had after the retries (the endpoint unreachable, throttling, server errors, a malformed answer).</summary>
    public static ConfluenceApiException GaveUp(Uri tokenUri, ConfluenceApiException last) =>
        new ConfluenceApiException(ErrorId, FailureKind.Authentication,
            $"No access token could be had from the token endpoint {tokenUri.AbsoluteUri}: {last.Message} {WhatToCheck}",
            last.StatusCode, last.ServerMessage, last.RequestUri, last)
        {
            Attempts = last.Attempts,
            RateLimitHeaders = last.RateLimitHeaders,
            Transient = false,
            IssuedToken = true,
        };
}
