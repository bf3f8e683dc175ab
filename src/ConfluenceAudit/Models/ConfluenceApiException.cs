using System;
using System.Collections.Generic;

namespace ConfluenceAudit.Models;

/// <summary>
/// A failed call to Confluence. The message says what went wrong in the API's terms (the PowerShell layer adds which
/// parameter to change); it never contains a credential (requests are described by method and URL only, and URLs
/// never carry secrets).
/// </summary>
public sealed class ConfluenceApiException : Exception
{
    internal ConfluenceApiException(
        string errorId,
        FailureKind kind,
        string message,
        int? statusCode = null,
        string? serverMessage = null,
        string? requestUri = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Kind = kind;
        StatusCode = statusCode;
        ServerMessage = serverMessage;
        RequestUri = requestUri;
    }

    /// <summary>Stable PascalCase id, the first part of the ErrorRecord's FullyQualifiedErrorId.</summary>
    public string ErrorId { get; }

    /// <summary>The HTTP status, when a response came back.</summary>
    public int? StatusCode { get; }

    /// <summary>The message from the server's response body, when it sent one.</summary>
    public string? ServerMessage { get; }

    /// <summary>Method and URL of the failed request.</summary>
    public string? RequestUri { get; }

    /// <summary>How many times the request was sent before giving up.</summary>
    public int Attempts { get; internal set; } = 1;

    /// <summary>Rate-limit headers of the last response (Retry-After, X-RateLimit-*, RateLimit-*), to see why and for how long.</summary>
    public IReadOnlyDictionary<string, string> RateLimitHeaders { get; internal set; } = EmptyHeaders;

    /// <summary>The wait the server asked for with Retry-After, if it did.</summary>
    public TimeSpan? RetryAfter { get; internal set; }

    internal FailureKind Kind { get; }

    /// <summary>True when a request that changes something may have taken effect although it failed (no readable answer came back).</summary>
    internal bool OutcomeUnknown { get; set; }

    /// <summary>True when the request carried an access token bought with a client id and secret (not a credential of the user's own).</summary>
    internal bool IssuedToken { get; set; }

    /// <summary>False when trying again cannot change the outcome (an untrusted certificate), though the kind is usually retried.</summary>
    internal bool Transient { get; set; } = true;

    private static readonly IReadOnlyDictionary<string, string> EmptyHeaders = new Dictionary<string, string>();

    /// <summary>The same failure with a sentence added, such as what it means for the record being created.</summary>
    internal ConfluenceApiException WithSuffix(string sentence) =>
        new ConfluenceApiException(ErrorId, Kind, Message + " " + sentence, StatusCode, ServerMessage, RequestUri, InnerException)
        {
            Attempts = Attempts,
            RateLimitHeaders = RateLimitHeaders,
            RetryAfter = RetryAfter,
            Transient = Transient,
            OutcomeUnknown = OutcomeUnknown,
            IssuedToken = IssuedToken,
        };
}
