using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Http;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Authentication;

/// <summary>
/// The two unauthenticated requests of a service account: buying an access token at the OAuth 2.0 token endpoint
/// (grant_type=client_credentials) and finding a Cloud site's id at /_edge/tenant_info. Each is one attempt within the
/// connection's timeout; the caller retries. Messages name the endpoint and the server's error, never the secret.
/// </summary>
internal sealed class OAuthClient : IDisposable
{
    private const int MaxBodyBytes = 64 * 1024;
    private const int MaxErrorChars = 300;
    private static readonly char[] NotInCloudId = { '/', '?', '#', '%', ' ' };
    private readonly HttpClient http;

    /// <param name="handler">The connection's handler (proxy, certificate check); it is not disposed with this client.</param>
    public OAuthClient(HttpMessageHandler handler, TimeSpan timeout, string userAgent)
    {
        Timeout = timeout;
        http = new HttpClient(handler, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
    }

    public TimeSpan Timeout { get; }

    /// <summary>A new access token and how long it is valid, counted from the moment the request was sent.</summary>
    public async Task<(string Token, TimeSpan Lifetime)> RequestTokenAsync(Uri tokenUri, string clientId, SecureString secret, string? scope, CancellationToken cancellationToken)
    {
        var request = "POST " + tokenUri.AbsoluteUri;
        var fields = new List<KeyValuePair<string, string>>
        {
            new KeyValuePair<string, string>("grant_type", "client_credentials"),
            new KeyValuePair<string, string>("client_id", clientId),
            new KeyValuePair<string, string>("client_secret", new NetworkCredential(string.Empty, secret).Password),
        };
        if (scope is not null)
        {
            fields.Add(new KeyValuePair<string, string>("scope", scope));
        }

        var (status, body, retryAfter) = await SendAsync(HttpMethod.Post, tokenUri, new FormUrlEncodedContent(fields), request, cancellationToken).ConfigureAwait(false);
        var answer = Parse(body, AuditJsonContext.Default.WireTokenResponse);
        if (status >= 200 && status < 300)
        {
            if (string.IsNullOrEmpty(answer?.AccessToken))
            {
                throw HttpFailures.InvalidResponse(request, "the token endpoint's answer holds no access_token.");
            }

            var seconds = answer!.ExpiresIn is long given && given > 0 ? given : 3600;
            return (answer.AccessToken!, TimeSpan.FromSeconds(seconds));
        }

        if (status == 429 || status >= 500)
        {
            // Throttled or unavailable: retried like any other request.
            var failure = HttpFailures.FromStatus(status, Shorten(answer?.ErrorDescription ?? answer?.Error), request);
            failure.RetryAfter = retryAfter;
            throw failure;
        }

        throw TokenFailures.Refused(tokenUri, status, Shorten(answer?.Error), Shorten(answer?.ErrorDescription));
    }

    /// <summary>The cloud id of the site at <paramref name="siteRoot"/>; null when the host has no /_edge/tenant_info (404).</summary>
    public async Task<string?> FindCloudIdAsync(Uri siteRoot, CancellationToken cancellationToken)
    {
        var uri = new Uri(siteRoot, "/_edge/tenant_info");
        var request = "GET " + uri.AbsoluteUri;
        var (status, body, retryAfter) = await SendAsync(HttpMethod.Get, uri, null, request, cancellationToken).ConfigureAwait(false);
        if (status == 404)
        {
            return null;
        }

        if (status < 200 || status >= 300)
        {
            var failure = HttpFailures.FromStatus(status, null, request);
            failure.RetryAfter = retryAfter;
            throw failure;
        }

        var cloudId = Parse(body, AuditJsonContext.Default.WireTenantInfo)?.CloudId;
        if (string.IsNullOrWhiteSpace(cloudId) || cloudId!.IndexOfAny(NotInCloudId) >= 0)
        {
            throw HttpFailures.InvalidResponse(request, "it holds no usable cloudId.");
        }

        return cloudId;
    }

    public void Dispose() => http.Dispose();

    private async Task<(int Status, string Body, TimeSpan? RetryAfter)> SendAsync(HttpMethod method, Uri uri, HttpContent? content, string request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(Timeout);
        }

        try
        {
            using var message = new HttpRequestMessage(method, uri) { Content = content };
            message.Headers.TryAddWithoutValidation("Accept", "application/json");
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            using var abort = ReadAbort.Of(response, timeout.Token);
            var body = await ReadAsync(response, timeout.Token).ConfigureAwait(false);
            return ((int)response.StatusCode, body, RateLimitHeaders.RetryAfter(response, DateTimeOffset.UtcNow));
        }
        catch (Exception exception) when (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw HttpFailures.Timeout(request, Timeout, exception);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && (exception is HttpRequestException || exception is IOException || exception is ObjectDisposedException))
        {
            throw HttpFailures.ConnectionFailed(request, exception);
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested && exception is not OperationCanceledException)
        {
            throw new OperationCanceledException("The request was cancelled.", exception, cancellationToken);
        }
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        var buffer = new byte[MaxBodyBytes];
        var length = 0;
        int count;
        while (length < buffer.Length && (count = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += count;
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static T? Parse<T>(string body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return body.TrimStart().StartsWith("{", StringComparison.Ordinal) ? JsonSerializer.Deserialize(body, type) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Shorten(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text!.Length <= MaxErrorChars ? text.Trim() : text.Substring(0, MaxErrorChars).Trim() + "…";
}
