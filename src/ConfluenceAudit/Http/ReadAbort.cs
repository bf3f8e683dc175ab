using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace ConfluenceAudit.Http;

/// <summary>
/// Ends a stalled read of a response body when its token is cancelled. On .NET Framework reads do not observe the
/// token, so the response is disposed at once. .NET (PowerShell 7) honours the token, and disposing during the read
/// races it and can hand a half-read connection back to the pool (the next request on it then fails to parse its
/// answer): there the response is disposed only if the read is still going a second later.
/// </summary>
internal static class ReadAbort
{
    private static readonly bool ReadsIgnoreTokens = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    public static CancellationTokenRegistration Of(IDisposable response, CancellationToken token) =>
        ReadsIgnoreTokens
            ? token.Register(response.Dispose)
            : token.Register(() => Task.Delay(Grace).ContinueWith(_ => response.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default));
}
