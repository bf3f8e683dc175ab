using System;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Http;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Authentication;

/// <summary>
/// A service account's OAuth 2.0 client credentials: a client id and secret that buy access tokens at a token endpoint
/// (grant_type=client_credentials, no refresh token: ask again). A token is renewed before it lapses (in its last fifth,
/// at most five minutes before) and at once when a request gets 401 for it; every request in flight, from any runspace,
/// shares one renewal. A renewal is retried like any transient fault and, failing, ends the operation with
/// ConfluenceAuthenticationFailed. Neither the secret nor a token is ever part of a message or ToString.
/// </summary>
internal sealed class ClientCredentialAuthorization : IRenewableAuthorization, IDisposable
{
    private static readonly TimeSpan MaximumMargin = TimeSpan.FromMinutes(5);
    private readonly OAuthClient client;
    private readonly SecureString secret;
    private readonly RetryPolicy retry;
    private readonly object gate = new object();
    private readonly CancellationTokenSource closing = new CancellationTokenSource();
    private AccessToken? current;
    private Task<AccessToken>? renewal;
    private long renewals;

    public ClientCredentialAuthorization(OAuthClient client, Uri tokenUri, string clientId, SecureString secret, string? scope, RetryPolicy retry)
    {
        this.client = client;
        TokenUri = tokenUri;
        ClientId = clientId;
        Scope = scope;
        this.secret = secret.Copy();
        this.secret.MakeReadOnly();
        this.retry = retry;
    }

    public Uri TokenUri { get; }

    public string ClientId { get; }

    /// <summary>The scopes asked for, space-separated; null to take those the credential was given.</summary>
    public string? Scope { get; }

    /// <summary>When the current token lapses; null before the first.</summary>
    public DateTimeOffset? ExpiresAt => Volatile.Read(ref current)?.ExpiresAt;

    /// <summary>Tokens bought so far.</summary>
    public long Renewals => Interlocked.Read(ref renewals);

    /// <summary>Test seam: the clock.</summary>
    internal Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>The unauthenticated requests of this credential (the cloud id), through the same network settings.</summary>
    internal OAuthClient Client => client;

    public async Task<AuthenticationHeaderValue> GetHeaderAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        var token = Volatile.Read(ref current);
        if (token is null || token.IsDue(Clock()))
        {
            token = await RenewAsync(token, log, cancellationToken).ConfigureAwait(false);
        }

        return new AuthenticationHeaderValue("Bearer", token.Value);
    }

    public async Task RenewAfterRejectionAsync(AuthenticationHeaderValue rejected, IOperationLog log, CancellationToken cancellationToken)
    {
        var token = Volatile.Read(ref current);
        if (token is not null && !string.Equals(token.Value, rejected.Parameter, StringComparison.Ordinal))
        {
            return; // Another request renewed it meanwhile.
        }

        await RenewAsync(token, log, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        closing.Cancel();
        client.Dispose();
    }

    public override string ToString() => "ClientCredentials " + ClientId;

    private async Task<AccessToken> RenewAsync(AccessToken? stale, IOperationLog log, CancellationToken cancellationToken)
    {
        Task<AccessToken> shared;
        var started = false;
        lock (gate)
        {
            var now = current;
            if (now is not null && !ReferenceEquals(now, stale) && !now.IsDue(Clock()))
            {
                return now;
            }

            if (renewal is null || renewal.IsCompleted)
            {
                // Started on the thread pool, so the field holds it before it can complete.
                renewal = Task.Run(RenewOnceAsync);
                started = true;
            }

            shared = renewal;
        }

        var token = await WaitAsync(shared, cancellationToken).ConfigureAwait(false);
        if (started)
        {
            log.Verbose(string.Format(CultureInfo.InvariantCulture, "Got an access token for client {0} from {1}; it lapses at {2:u}.",
                ClientId, TokenUri.AbsoluteUri, token.ExpiresAt));
        }

        return token;
    }

    private async Task<AccessToken> RenewOnceAsync()
    {
        try
        {
            // The renewal belongs to every request waiting for it, so no single caller's Ctrl+C ends it; closing the connection does.
            var token = await retry.ExecuteAsync(
                async token =>
                {
                    var sent = Clock();
                    var (value, lifetime) = await client.RequestTokenAsync(TokenUri, ClientId, secret, Scope, token).ConfigureAwait(false);
                    return new AccessToken(value, sent, lifetime);
                },
                idempotent: true,
                NullOperationLog.Instance,
                closing.Token).ConfigureAwait(false);
            Interlocked.Increment(ref renewals);
            Volatile.Write(ref current, token);
            return token;
        }
        catch (ConfluenceApiException exception) when (exception.ErrorId != TokenFailures.ErrorId)
        {
            throw TokenFailures.GaveUp(TokenUri, exception);
        }
    }

    private static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
    {
        if (!task.IsCompleted && cancellationToken.CanBeCanceled)
        {
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }

        return await task.ConfigureAwait(false);
    }

    /// <summary>One access token. It is renewed in the last fifth of its life, and at most five minutes before it lapses.</summary>
    private sealed class AccessToken
    {
        public AccessToken(string value, DateTimeOffset issued, TimeSpan lifetime)
        {
            Value = value;
            ExpiresAt = issued + lifetime;
            var margin = TimeSpan.FromTicks(lifetime.Ticks / 5);
            RenewAt = ExpiresAt - (margin > MaximumMargin ? MaximumMargin : margin);
        }

        public string Value { get; }

        public DateTimeOffset ExpiresAt { get; }

        public DateTimeOffset RenewAt { get; }

        public bool IsDue(DateTimeOffset now) => now >= RenewAt;

        public override string ToString() => "access token until " + ExpiresAt.ToString("u", CultureInfo.InvariantCulture);
    }
}
