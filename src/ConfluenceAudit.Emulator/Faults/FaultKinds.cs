namespace ConfluenceAudit.Emulator.Faults;

/// <summary>The faults the emulator can inject into an API request (never into a control request).</summary>
internal static class FaultKinds
{
    /// <summary>429 with Retry-After in seconds, X-RateLimit-Limit/-Remaining/-Reset and RateLimit-Reason.</summary>
    public const string RateLimited = "429";

    /// <summary>429 with Retry-After as an HTTP-date (now + retryAfterSec, rounded up to the second).</summary>
    public const string RateLimitedDate = "429-date";

    /// <summary>429 with Retry-After: 9223372036854775807, as Confluence Cloud has been seen to send.</summary>
    public const string RateLimitedHuge = "429-huge";

    /// <summary>503 with Retry-After in seconds.</summary>
    public const string Unavailable = "503";

    /// <summary>503 without Retry-After.</summary>
    public const string UnavailablePlain = "503-plain";

    /// <summary>The request is handled (a POST creates its record), the 200 status and about half of the body go out,
    /// then the connection is aborted: a body cut off mid-page.</summary>
    public const string Drop = "drop";

    /// <summary>The connection is aborted before any response (the request is not handled).</summary>
    public const string Reset = "reset";

    /// <summary>The answer comes after slowMs milliseconds (the wait ends when the client goes away).</summary>
    public const string Slow = "slow";

    /// <summary>A page GET answers with about half the records it should, echoing the full limit: a short page in the
    /// middle of a listing. No effect on other requests.</summary>
    public const string Short = "short";

    /// <summary>The answer is status 200 with the configured body and content type, whatever the request: an answer
    /// outside the contract (a proxy's page, a half-deployed server, a bug upstream).</summary>
    public const string Body = "body";

    /// <summary>No fault: a placeholder in a queue, to place a fault on a later request.</summary>
    public const string None = "none";

    public static readonly string[] All =
        [RateLimited, RateLimitedDate, RateLimitedHuge, Unavailable, UnavailablePlain, Drop, Reset, Slow, Short, Body, None];

    public static bool IsKnown(string kind) => Array.IndexOf(All, kind) >= 0;

    /// <summary>Faults that end the request without a complete answer (logged with status 0).</summary>
    public static bool Aborts(string kind) => kind is Drop or Reset;
}
