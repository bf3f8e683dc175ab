using System.Security;
using ConfluenceAudit.Connections;
using ConfluenceAudit.Http;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Tests;

/// <summary>Secrets every test uses, so that any leak into a message can be searched for.</summary>
internal static class TestSecrets
{
    public const string Email = "ada@example.com";
    public const string ApiToken = "ATATT3xFfGF0-api-token-SECRET-4711";
    public const string BearerToken = "pat-NzQ5-bearer-SECRET-0815";

    public static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    public static ConfluenceCredential Basic() => ConfluenceCredential.Basic(Email, Secure(ApiToken));

    public static ConfluenceCredential Bearer() => ConfluenceCredential.Bearer(Secure(BearerToken));

    public static void AssertNoSecret(string? text)
    {
        if (text is null)
        {
            return;
        }

        Assert.DoesNotContain(ApiToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(BearerToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Email + ":" + ApiToken)), text, StringComparison.Ordinal);
    }

    /// <summary>The exception's message, its ToString (stack and inner exceptions) and its properties.</summary>
    public static void AssertNoSecret(Exception exception)
    {
        AssertNoSecret(exception.Message);
        AssertNoSecret(exception.ToString());
        if (exception is ConfluenceApiException api)
        {
            AssertNoSecret(api.ServerMessage);
            AssertNoSecret(api.RequestUri);
        }
    }
}

internal static class TestClients
{
    public static readonly Uri CloudBase = new("https://acme.atlassian.net/wiki");

    /// <summary>
    /// A client over <paramref name="handler"/>; without retries unless a policy is given, so each failure is seen as it
    /// happens. Pagers in tests read one page at a time unless asked, so request logs read in order (ConcurrentPagingTests
    /// cover more).
    /// </summary>
    public static AuditHttpClient Create(HttpMessageHandler handler, ConfluenceCredential? credential = null, TimeSpan? timeout = null, Uri? baseUri = null, string userAgent = "ConfluenceAudit.Tests/1.0", RetryPolicy? retry = null) =>
        new(baseUri ?? CloudBase, credential ?? TestSecrets.Basic(), timeout ?? TimeSpan.FromSeconds(10), userAgent, handler, retry ?? NoRetries());

    public static RetryPolicy NoRetries() => new(maximumRetryCount: 0);

    /// <summary>Retries whose waits are recorded instead of waited.</summary>
    public static RetryPolicy InstantRetries(List<TimeSpan> waits, int count = 4)
    {
        var policy = new RetryPolicy(maximumRetryCount: count);
        policy.Delay = (wait, token) =>
        {
            lock (waits)
            {
                waits.Add(wait);
            }

            token.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        };
        return policy;
    }

    public static AuditQuery All() => AuditQuery.Range(null, null, null);

    /// <summary>Every record a pager returns, and the pages they came in.</summary>
    public static async Task<(List<ConfluenceAuditRecord> Records, List<int> PageCounts)> ReadAllAsync(AuditRecordPager pager, IOperationLog? log = null, CancellationToken cancellationToken = default)
    {
        var records = new List<ConfluenceAuditRecord>();
        var pages = new List<int>();
        for (var i = 0; i < 10_000; i++)
        {
            var page = await pager.NextPageAsync(log ?? NullOperationLog.Instance, cancellationToken);
            if (page is null)
            {
                return (records, pages);
            }

            pages.Add(page.Count);
            records.AddRange(page);
        }

        throw new InvalidOperationException("The pager did not stop after 10,000 pages.");
    }
}

internal sealed class RecordingLog : IOperationLog
{
    private readonly List<string> messages = new();

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (messages)
            {
                return messages.ToList();
            }
        }
    }

    public void Verbose(string message)
    {
        lock (messages)
        {
            messages.Add("VERBOSE: " + message);
        }
    }

    public void Debug(string message)
    {
        lock (messages)
        {
            messages.Add("DEBUG: " + message);
        }
    }

    public void Progress(long done, long? total, string unit)
    {
        lock (messages)
        {
            messages.Add($"PROGRESS: {done}/{total} {unit}");
        }
    }
}
