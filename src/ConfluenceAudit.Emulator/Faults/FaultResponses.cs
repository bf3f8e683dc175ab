using System.Globalization;
using ConfluenceAudit.Emulator.Http;

namespace ConfluenceAudit.Emulator.Faults;

/// <summary>The responses of the status-code faults.</summary>
internal static class FaultResponses
{
    /// <summary>The value Confluence Cloud has been seen to send (long.MaxValue seconds).</summary>
    public const string HugeRetryAfter = "9223372036854775807";

    public const int RateLimit = 100;

    public static Task WriteRateLimitedAsync(HttpContext context, string kind, int retryAfterSec)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        IHeaderDictionary h = context.Response.Headers;
        h["Retry-After"] = kind switch
        {
            FaultKinds.RateLimitedHuge => HugeRetryAfter,

            // An HTTP-date has whole seconds: round up, so the client never comes back before the delay.
            FaultKinds.RateLimitedDate => CeilingToSecond(now.AddSeconds(retryAfterSec)).ToString("r", CultureInfo.InvariantCulture),
            _ => retryAfterSec.ToString(CultureInfo.InvariantCulture),
        };
        h["X-RateLimit-Limit"] = RateLimit.ToString(CultureInfo.InvariantCulture);
        h["X-RateLimit-Remaining"] = "0";
        h["X-RateLimit-Reset"] = CeilingToSecond(now.AddSeconds(retryAfterSec)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        h["RateLimit-Reason"] = "confluence-burst-based";
        return ErrorResponses.WriteAsync(context, 429, "Rate limit exceeded. Retry after the time given in the Retry-After header.");
    }

    public static Task WriteUnavailableAsync(HttpContext context, int? retryAfterSec)
    {
        if (retryAfterSec is int seconds)
        {
            context.Response.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return ErrorResponses.WriteAsync(context, 503, "Service Unavailable: the site is temporarily overloaded. Try again later.");
    }

    /// <summary>The 'body' fault: status 200 and the configured body, as it is.</summary>
    public static async Task WriteBodyAsync(HttpContext context, FaultSettings settings)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(settings.Body);
        context.Response.StatusCode = 200;
        context.Response.ContentType = settings.BodyContentType;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private static DateTimeOffset CeilingToSecond(DateTimeOffset t)
    {
        long ticks = t.UtcTicks;
        long rest = ticks % TimeSpan.TicksPerSecond;
        return new DateTimeOffset(rest == 0 ? ticks : ticks - rest + TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }
}
