using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Http;

/// <summary>
/// The one place requests are retried: rate limits (429), unavailability (502, 503, 504), and transport faults
/// (connection reset, timeout, body cut off), for idempotent requests only. Retry-After is honoured in seconds
/// or as an HTTP date and clamped to <see cref="MaximumWait"/>; without it the wait starts at
/// <see cref="FirstInterval"/>, doubles up to <see cref="MaximumBackoff"/>, with ×0.7–1.3 jitter (Atlassian's advice).
/// Every wait observes the caller's cancellation token, so Ctrl+C ends it at once.
/// </summary>
internal sealed class RetryPolicy
{
    public const int DefaultMaximumRetryCount = 4;
    public const int DefaultRetryIntervalSec = 5;
    public const int DefaultMaximumWaitSec = 60;
    private static readonly TimeSpan MaximumBackoff = TimeSpan.FromSeconds(30);
    private readonly Random random = new Random();

    public RetryPolicy(int maximumRetryCount = DefaultMaximumRetryCount, int retryIntervalSec = DefaultRetryIntervalSec, int maximumWaitSec = DefaultMaximumWaitSec)
    {
        MaximumRetryCount = maximumRetryCount;
        FirstInterval = TimeSpan.FromSeconds(retryIntervalSec);
        MaximumWait = TimeSpan.FromSeconds(maximumWaitSec);
        NextRandom = () =>
        {
            lock (random)
            {
                return random.NextDouble();
            }
        };
    }

    /// <summary>Retries after the first attempt; 0 turns retrying off.</summary>
    public int MaximumRetryCount { get; }

    /// <summary>The first wait when the server sends no Retry-After.</summary>
    public TimeSpan FirstInterval { get; }

    /// <summary>The longest single wait, whatever Retry-After says.</summary>
    public TimeSpan MaximumWait { get; }

    /// <summary>Test seam: how a wait is done.</summary>
    internal Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = Task.Delay;

    /// <summary>Test seam: a number in [0, 1) for the jitter.</summary>
    internal Func<double> NextRandom { get; set; }

    public static bool IsRetryable(ConfluenceApiException exception) => exception.Transient && (
        exception.Kind == FailureKind.Throttled ||
        exception.Kind == FailureKind.Timeout ||
        exception.Kind == FailureKind.Connection ||
        exception.StatusCode is 502 or 503 or 504);

    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> attempt, bool idempotent, IOperationLog log, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (ConfluenceApiException exception) when (idempotent && IsRetryable(exception) && retry < MaximumRetryCount)
            {
                var wait = WaitBefore(retry, exception);
                log.Verbose(string.Format(CultureInfo.InvariantCulture, "{0}: {1}. Retry {2} of {3} in {4:0.0} s{5}.",
                    exception.RequestUri, Reason(exception), retry + 1, MaximumRetryCount, wait.TotalSeconds,
                    exception.RetryAfter is null ? string.Empty : " (the server's Retry-After)"));
                await Delay(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (ConfluenceApiException exception) when (idempotent && IsRetryable(exception) && MaximumRetryCount > 0)
            {
                var gaveUp = exception.WithSuffix(GiveUpSentence(exception, retry + 1));
                gaveUp.Attempts = retry + 1;
                throw gaveUp;
            }
        }
    }

    /// <summary>The wait before retry number <paramref name="retry"/> (0-based).</summary>
    internal TimeSpan WaitBefore(int retry, ConfluenceApiException exception)
    {
        if (exception.RetryAfter is TimeSpan asked)
        {
            return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > MaximumWait ? MaximumWait : asked;
        }

        var backoff = FirstInterval.TotalSeconds * Math.Pow(2, Math.Min(retry, 16));
        backoff = Math.Min(backoff, Math.Min(MaximumBackoff.TotalSeconds, MaximumWait.TotalSeconds));
        var jitter = 0.7 + (0.6 * NextRandom());
        return TimeSpan.FromSeconds(Math.Min(backoff * jitter, MaximumWait.TotalSeconds));
    }

    private static string Reason(ConfluenceApiException exception) => exception.Kind switch
    {
        FailureKind.Throttled => "throttled (429)",
        FailureKind.Timeout => "no answer in time",
        FailureKind.Connection => "connection lost",
        _ => $"unavailable ({exception.StatusCode})",
    };

    private static string GiveUpSentence(ConfluenceApiException exception, int attempts)
    {
        var headers = exception.RateLimitHeaders.Count == 0
            ? string.Empty
            : " Rate-limit headers: " + string.Join(", ", exception.RateLimitHeaders.Select(pair => pair.Key + ": " + pair.Value)) + ".";
        return $"Gave up after {attempts} attempts ({Reason(exception)}).{headers}";
    }
}
