using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Http;

/// <summary>
/// The transport of one connection: one long-lived HttpClient, and every request through <see cref="SendAsync"/>
/// (authorization, timeout, verbose logging, the mapping of failures) or <see cref="SendJsonAsync"/> (retried, body
/// read within a size limit). It knows HTTP and the API's base URL, nothing of what the requests mean.
/// </summary>
internal sealed class AuditHttpClient : IDisposable
{
    private readonly HttpClient http;
    private readonly IRequestAuthorization authorization;
    private long throttledResponses;

    /// <param name="handler">The network: Connections/ConnectionFactory's handler in use, a fake in tests.</param>
    public AuditHttpClient(Uri baseUri, IRequestAuthorization authorization, TimeSpan timeout, string userAgent, HttpMessageHandler handler, RetryPolicy? retryPolicy = null)
    {
        BaseUri = baseUri;
        Retry = retryPolicy ?? new RetryPolicy();
        this.authorization = authorization;
        Timeout = timeout;
        http = new HttpClient(handler, disposeHandler: true)
        {
            // Our own per-request timeout covers reading the body too; HttpClient's would stop at the headers.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
    }

    /// <summary>The address the REST paths hang off; it moves once, to the API gateway, when a site's cloud id is found.</summary>
    public Uri BaseUri { get; private set; }

    /// <summary>How long one request may take, body included; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no limit.</summary>
    public TimeSpan Timeout { get; }

    public RetryPolicy Retry { get; }

    /// <summary>The most a JSON answer may hold: a page of 1,000 records is about 1 MB; an export streams to disk instead.</summary>
    public long MaxJsonBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>429 and 503 answers so far: a listing that sees this grow drops to one request at a time.</summary>
    public long ThrottledResponses => Interlocked.Read(ref throttledResponses);

    public Uri BuildUri(string relativePath, IEnumerable<KeyValuePair<string, string>>? parameters = null)
    {
        var builder = new StringBuilder(BaseUri.AbsoluteUri.TrimEnd('/'));
        builder.Append('/').Append(relativePath);
        if (parameters is not null)
        {
            var separator = '?';
            foreach (var pair in parameters)
            {
                builder.Append(separator).Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(pair.Value));
                separator = '&';
            }
        }

        return new Uri(builder.ToString());
    }

    /// <summary>
    /// Sends a request and reads its JSON body, each attempt within the connection's timeout. GET and PUT are
    /// retried by the connection's policy; POST is sent once, since it is not idempotent.
    /// </summary>
    public Task<T> SendJsonAsync<T>(HttpMethod method, Uri uri, byte[]? jsonBody, JsonTypeInfo<T> bodyType, IOperationLog log, CancellationToken cancellationToken) =>
        Retry.ExecuteAsync(
            token => SendJsonOnceAsync(method, uri, jsonBody, bodyType, log, token),
            idempotent: method != HttpMethod.Post,
            log,
            cancellationToken);

    private async Task<T> SendJsonOnceAsync<T>(HttpMethod method, Uri uri, byte[]? jsonBody, JsonTypeInfo<T> bodyType, IOperationLog log, CancellationToken cancellationToken)
    {
        var request = Describe(method, uri);
        using var timeout = CreateTimeout(cancellationToken);
        try
        {
            using var response = await SendAsync(method, uri, jsonBody, log, timeout.Token).ConfigureAwait(false);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            // Disposing the response aborts a read that does not observe the token (.NET Framework).
            using var abort = ReadAbort.Of(response, timeout.Token);
            if (mediaType is not null && mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) < 0)
            {
                throw await HttpFailures.UnexpectedContentAsync(response, request, mediaType, "JSON", timeout.Token).ConfigureAwait(false);
            }

            using var stream = new BoundedReadStream(await response.Content.ReadAsStreamAsync().ConfigureAwait(false), MaxJsonBytes, request);
            var value = await JsonSerializer.DeserializeAsync(stream, bodyType, timeout.Token).ConfigureAwait(false);
            if (value is null)
            {
                throw HttpFailures.InvalidResponse(request, "the body is JSON null.");
            }

            // Every answer is checked here, before any of it is used: a malformed one never becomes a record.
            return WireValidation.Problem(value, DateTimeOffset.UtcNow) is string problem ? throw HttpFailures.InvalidResponse(request, problem) : value;
        }
        catch (Exception exception) when (Translate(exception, request, cancellationToken) is Exception translated)
        {
            throw translated;
        }
    }

    /// <summary>Sends every later request to <paramref name="baseUri"/>: the gateway found for a site, before its first request.</summary>
    internal void MoveTo(Uri baseUri) => BaseUri = baseUri;

    public void Dispose()
    {
        http.Dispose();
        (authorization as IDisposable)?.Dispose();
    }

    private static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    internal static string Describe(HttpMethod method, Uri uri) => method.Method + " " + uri.AbsoluteUri;

    /// <summary>
    /// Sends one request and returns a successful response; any other status becomes a <see cref="ConfluenceApiException"/>,
    /// and so does a successful answer that is an HTML page, which no answer of the API is: a login page (the request was
    /// taken for an anonymous one) or another page, such as a proxy's, instead of <paramref name="expected"/>.
    /// A request whose access token is refused (401; Data Center's redirect of an anonymous request, or its login page
    /// with status 200) is sent once more with a renewed one; nothing was done for the refused one, so this holds for a
    /// POST as well.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, byte[]? jsonBody, IOperationLog log, CancellationToken cancellationToken,
        string accept = "application/json", string expected = "JSON")
    {
        for (var renewed = false; ; renewed = true)
        {
            var (response, header) = await SendOnceAsync(method, uri, jsonBody, accept, log, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            ConfluenceApiException? page = null;
            if (HttpFailures.IsSuccess(response.StatusCode) && mediaType is not null && mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                // Disposing the response aborts a read that does not observe the token (.NET Framework).
                using var abort = ReadAbort.Of(response, cancellationToken);
                page = await HttpFailures.UnexpectedContentAsync(response, Describe(method, uri), mediaType, expected, cancellationToken).ConfigureAwait(false);
            }

            var refused = status == 401 || (status >= 301 && status <= 303) || page?.Kind == FailureKind.Authentication;
            if (!renewed && refused && authorization is IRenewableAuthorization renewable)
            {
                response.Dispose();
                var refusal = status == 401 ? "401" : status < 300 ? "its login page instead of an answer" : $"{status}, a redirect to its login page";
                log.Verbose($"{Describe(method, uri)}: the access token was refused ({refusal}); getting a new one and sending the request again.");
                await renewable.RenewAfterRejectionAsync(header, log, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (page is not null)
            {
                response.Dispose();
                throw page;
            }

            return await CheckAsync(response, method, uri, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(HttpResponseMessage Response, AuthenticationHeaderValue Header)> SendOnceAsync(
        HttpMethod method, Uri uri, byte[]? jsonBody, string accept, IOperationLog log, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = jsonBody is null ? null : JsonContent(jsonBody) };
        var header = await authorization.GetHeaderAsync(log, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = header;
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (method != HttpMethod.Get)
        {
            // Data Center's XSRF check lets a REST call that changes something through only with this header.
            request.Headers.TryAddWithoutValidation("X-Atlassian-Token", "no-check");
        }
        var stopwatch = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException && exception is not HttpRequestException && exception is not ObjectDisposedException)
        {
            // The HTTP stack failed to read an answer it could not parse (seen as ArgumentOutOfRangeException from
            // its status-line parser on a reused connection): a broken connection, to be retried like any other.
            throw new HttpRequestException("The connection returned an answer that could not be read: " + exception.Message, exception);
        }

        log.Verbose($"{Describe(method, uri)} -> {(int)response.StatusCode} {response.ReasonPhrase} ({stopwatch.ElapsedMilliseconds} ms)");
        return (response, header);
    }

    private async Task<HttpResponseMessage> CheckAsync(HttpResponseMessage response, HttpMethod method, Uri uri, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (HttpFailures.IsSuccess(response.StatusCode))
        {
            return response;
        }

        if (status == 429 || status == 503)
        {
            Interlocked.Increment(ref throttledResponses);
        }

        using (response)
        using (ReadAbort.Of(response, cancellationToken))
        {
            // The error body is read under the same timeout and Ctrl+C as everything else: a gateway can stall it.
            var serverMessage = await HttpFailures.ReadServerMessageAsync(response, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var failure = HttpFailures.FromStatus(status, serverMessage, Describe(method, uri), response.Headers.Location?.ToString());
            failure.RateLimitHeaders = RateLimitHeaders.Read(response);
            failure.RetryAfter = RateLimitHeaders.RetryAfter(response, DateTimeOffset.UtcNow);
            failure.IssuedToken = authorization is IRenewableAuthorization;
            throw failure;
        }
    }

    internal CancellationTokenSource CreateTimeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            source.CancelAfter(Timeout);
        }

        return source;
    }

    /// <summary>
    /// Turns transport failures into actionable errors, and a read ended because the caller cancelled into a cancellation;
    /// null leaves the exception as it is. Used in exception filters, so it returns the exception instead of throwing it.
    /// </summary>
    internal Exception? Translate(Exception exception, string request, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested && (exception is ObjectDisposedException || exception is IOException || exception is HttpRequestException))
        {
            // The read was ended by disposing the response because the caller cancelled: that is a cancellation.
            return new OperationCanceledException("The request was cancelled.", exception, cancellationToken);
        }

        switch (exception)
        {
            case ConfluenceApiException:
                return null;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case OperationCanceledException:
            case ObjectDisposedException when !cancellationToken.IsCancellationRequested:
                return HttpFailures.Timeout(request, Timeout, exception);
            case HttpRequestException:
            case IOException:
                return HttpFailures.ConnectionFailed(request, exception);
            case JsonException:
                return HttpFailures.InvalidResponse(request, "the JSON is malformed or has unexpected types (" + exception.Message + ")", exception);
            case InvalidOperationException when exception.Source == "System.Text.Json":
            case DecoderFallbackException:
                // Text that is not UTF-8 inside the JSON: the parser refuses to turn it into a string.
                return HttpFailures.InvalidResponse(request, "the body is not valid UTF-8 JSON (" + exception.Message + ")", exception);
            default:
                return null;
        }
    }
}
