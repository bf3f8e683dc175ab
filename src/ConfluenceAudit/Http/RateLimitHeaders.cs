using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;

namespace ConfluenceAudit.Http;

/// <summary>Reads Retry-After and the rate-limit headers Atlassian sends with 429 and 503.</summary>
internal static class RateLimitHeaders
{
    /// <summary>The longest Retry-After taken at face value; Confluence Cloud has sent 9223372036854775807 seconds.</summary>
    private static readonly TimeSpan Ceiling = TimeSpan.FromDays(1);

    public static IReadOnlyDictionary<string, string> Read(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            if (header.Key.Equals("Retry-After", StringComparison.OrdinalIgnoreCase) ||
                header.Key.StartsWith("X-RateLimit", StringComparison.OrdinalIgnoreCase) ||
                header.Key.StartsWith("RateLimit", StringComparison.OrdinalIgnoreCase))
            {
                headers[header.Key] = string.Join(", ", header.Value);
            }
        }

        return headers;
    }

    /// <summary>Retry-After as delta-seconds (whole or fractional, however large) or an HTTP date; null when absent or unreadable.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (!response.Headers.TryGetValues("Retry-After", out var values))
        {
            return null;
        }

        var text = values.FirstOrDefault()?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds <= 0 ? TimeSpan.Zero : seconds >= Ceiling.TotalSeconds ? Ceiling : TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ||
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
        {
            var wait = date - now;
            return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait >= Ceiling ? Ceiling : wait;
        }

        return null;
    }
}
