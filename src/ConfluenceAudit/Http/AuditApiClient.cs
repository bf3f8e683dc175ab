using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Http
{
    /// <summary>
    /// The audit API over one long-lived HttpClient per connection. Every request goes through
    /// <see cref="SendAsync"/>: credentials, timeout, verbose logging and the mapping of failures.
    /// </summary>
    internal sealed class AuditApiClient : IDisposable
    {
        internal const string RecordsPath = "rest/api/audit";
        internal const string RetentionPath = "rest/api/audit/retention";
        internal const string ExportPath = "rest/api/audit/export";
        internal const string FrameworkRetentionPath = "rest/auditing/1.0/configuration/retention";
        /// <summary>The most a JSON answer may hold: a page of 1,000 records is about 1 MB; an export streams to disk instead.</summary>
        internal long MaxJsonBytes { get; set; } = 256L * 1024 * 1024;
        private readonly HttpClient http;
        private readonly ConfluenceCredential credential;
        private long throttledResponses;

        /// <param name="handler">The network: <see cref="ConnectionFactory.CreateHandler"/> in use, a fake in tests.</param>
        public AuditApiClient(Uri baseUri, ConfluenceCredential credential, TimeSpan timeout, string userAgent, HttpMessageHandler handler, RetryPolicy? retryPolicy = null)
        {
            BaseUri = baseUri;
            Retry = retryPolicy ?? new RetryPolicy();
            this.credential = credential;
            Timeout = timeout;
            http = new HttpClient(handler, disposeHandler: true)
            {
                // Our own per-request timeout covers reading the body too; HttpClient's would stop at the headers.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
            http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        }

        public Uri BaseUri { get; }

        /// <summary>How long one request may take, body included; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no limit.</summary>
        public TimeSpan Timeout { get; }

        public RetryPolicy Retry { get; }

        public ConfluenceDeployment Deployment { get; set; } = ConfluenceDeployment.Cloud;

        /// <summary>True when the user named the deployment (-Deployment) rather than leaving it to the host name.</summary>
        public bool DeploymentGiven { get; set; }

        /// <summary>The audit API the server offers; null until found out (Data Center), always the audit resource on Cloud.</summary>
        public ConfluenceAuditApi? AuditApi { get; set; }

        /// <summary>True when the framework refused an unfiltered read (403): this account may read only its spaces' events.</summary>
        public bool FrameworkReadsLimited { get; set; }

        /// <summary>Requests a listing keeps in flight at once; 1 reads one page after the other.</summary>
        public int MaxConcurrency { get; set; } = DefaultMaxConcurrency;

        /// <summary>429 and 503 answers so far: a listing that sees this grow drops to one request at a time.</summary>
        public long ThrottledResponses => Interlocked.Read(ref throttledResponses);

        internal const int DefaultMaxConcurrency = 4;

        public async Task<AuditPage> GetRecordsPageAsync(AuditQuery query, int start, int limit, IOperationLog log, CancellationToken cancellationToken)
        {
            var uri = BuildUri(query.Path, query.ToParameters(start, limit));
            var wire = await SendJsonAsync(HttpMethod.Get, uri, null, AuditJsonContext.Default.WireAuditRecordArray, log, cancellationToken).ConfigureAwait(false);
            if (wire.Results is null)
            {
                throw HttpFailures.InvalidResponse(Describe(HttpMethod.Get, uri), "the page has no 'results' array.");
            }

            var records = new List<ConfluenceAuditRecord>(wire.Results.Count);
            foreach (var item in wire.Results)
            {
                if (item is not null)
                {
                    records.Add(WireMapper.ToRecord(item));
                }
            }

            return new AuditPage(records, wire.Results.Count, wire.Start, wire.Limit, wire.Size);
        }

        /// <summary>The audit retention: Cloud's retention resource, or Data Center's auditing framework configuration.</summary>
        public async Task<ConfluenceAuditRetention> GetRetentionAsync(IOperationLog log, CancellationToken cancellationToken)
        {
            if (await AuditApiDiscovery.ResolveAsync(this, log, cancellationToken).ConfigureAwait(false) == ConfluenceAuditApi.AuditingFramework)
            {
                var configuration = BuildUri(FrameworkRetentionPath);
                var period = await SendJsonAsync(HttpMethod.Get, configuration, null, AuditJsonContext.Default.WireRetentionConfiguration, log, cancellationToken).ConfigureAwait(false);
                return ToRetention(period);
            }

            var uri = BuildUri(RetentionPath);
            var wire = await SendJsonAsync(HttpMethod.Get, uri, null, AuditJsonContext.Default.WireRetentionPeriod, log, cancellationToken).ConfigureAwait(false);
            return ToRetention(wire, Describe(HttpMethod.Get, uri));
        }

        /// <summary>Sets the retention; on the framework only Days, Weeks, Months and Years (see <see cref="RetentionRules.FitsPeriod"/>).</summary>
        public async Task<ConfluenceAuditRetention> SetRetentionAsync(int number, RetentionUnit unit, IOperationLog log, CancellationToken cancellationToken)
        {
            if (await AuditApiDiscovery.ResolveAsync(this, log, cancellationToken).ConfigureAwait(false) == ConfluenceAuditApi.AuditingFramework)
            {
                var configuration = BuildUri(FrameworkRetentionPath);
                var period = await SendJsonAsync(HttpMethod.Put, configuration, RequestBodies.RetentionPeriod(RetentionRules.ToPeriod(number, unit)), AuditJsonContext.Default.WireRetentionConfiguration, log, cancellationToken).ConfigureAwait(false);
                return ToRetention(period);
            }

            var uri = BuildUri(RetentionPath);
            var wire = await SendJsonAsync(HttpMethod.Put, uri, RequestBodies.Retention(number, unit), AuditJsonContext.Default.WireRetentionPeriod, log, cancellationToken).ConfigureAwait(false);
            return ToRetention(wire, Describe(HttpMethod.Put, uri));
        }

        /// <summary>POST /audit. Sent exactly once: creating a record is not idempotent, so it is never retried.</summary>
        public async Task<ConfluenceAuditRecord> CreateRecordAsync(NewAuditRecord record, IOperationLog log, CancellationToken cancellationToken)
        {
            var uri = BuildUri(RecordsPath);
            try
            {
                var wire = await SendJsonAsync(HttpMethod.Post, uri, RequestBodies.NewRecord(record), AuditJsonContext.Default.WireAuditRecord, log, cancellationToken).ConfigureAwait(false);
                return WireMapper.ToRecord(wire);
            }
            catch (ConfluenceApiException exception) when (Deployment == ConfluenceDeployment.DataCenter && exception.StatusCode is 404 or 405)
            {
                // The auditing framework has no way to create records, and newer servers dropped the old resource's POST.
                throw new ConfluenceApiException("AuditRecordCreationNotSupported", FailureKind.NotSupported,
                    $"{BaseUri} cannot create audit records through its API: it refused POST {RecordsPath} ({exception.StatusCode}). " +
                    "Confluence Data Center keeps its audit log in the auditing framework, which has no way to add records; only older servers accept them.",
                    exception.StatusCode, exception.ServerMessage, exception.RequestUri, exception);
            }
            catch (ConfluenceApiException exception)
            {
                throw exception.WithSuffix(MayHaveBeenSent(exception)
                    ? "The record may have been created: the request was sent but no readable answer came back. Check with Get-ConfluenceAuditRecord -SearchString before creating it again."
                    : "The record was not created.");
            }
        }

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
                using var response = await SendAsync(method, uri, jsonBody is null ? null : JsonContent(jsonBody), log, timeout.Token).ConfigureAwait(false);
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (mediaType is not null && mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) < 0)
                {
                    throw HttpFailures.NotJson(request, mediaType);
                }

                // Disposing the response aborts a read that does not observe the token (.NET Framework).
                using var abort = ReadAbort.Of(response, timeout.Token);
                using var stream = new BoundedReadStream(await response.Content.ReadAsStreamAsync().ConfigureAwait(false), MaxJsonBytes, request);
                var value = await JsonSerializer.DeserializeAsync(stream, bodyType, timeout.Token).ConfigureAwait(false);
                return value ?? throw HttpFailures.InvalidResponse(request, "the body is JSON null.");
            }
            catch (Exception exception) when (Translate(exception, request, cancellationToken) is Exception translated)
            {
                throw translated;
            }
        }

        public void Dispose() => http.Dispose();

        /// <summary>False only when the server answered with an error status or the connection was never made.</summary>
        private static bool MayHaveBeenSent(ConfluenceApiException exception)
        {
            if (exception.StatusCode is int status && status >= 300)
            {
                return false;
            }

            for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
            {
                if (inner is SocketException socket &&
                    (socket.SocketErrorCode == SocketError.ConnectionRefused || socket.SocketErrorCode == SocketError.HostNotFound || socket.SocketErrorCode == SocketError.NetworkUnreachable))
                {
                    return false;
                }
            }

            return true;
        }

        private static ByteArrayContent JsonContent(byte[] body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return content;
        }

        private ConfluenceAuditRetention ToRetention(WireRetentionConfiguration wire)
        {
            // A missing part counts as 0.
            var period = new RetentionPeriod(wire.Period?.Years ?? 0, wire.Period?.Months ?? 0, wire.Period?.Days ?? 0);
            var (number, units) = RetentionRules.FromPeriod(period);
            return new ConfluenceAuditRetention(number, units, BaseUri, period);
        }

        private ConfluenceAuditRetention ToRetention(WireRetentionPeriod wire, string request)
        {
            if (wire.Number is not long number || number < 0 || number > int.MaxValue || !ApiNames.TryParse(typeof(RetentionUnit), wire.Units, out var unit))
            {
                throw HttpFailures.InvalidResponse(request, $"the retention period '{wire.Number} {wire.Units}' is not a number of known units.");
            }

            return new ConfluenceAuditRetention((int)number, (RetentionUnit)unit!, BaseUri);
        }

        internal static string Describe(HttpMethod method, Uri uri) => method.Method + " " + uri.AbsoluteUri;

        /// <summary>Sends one request and returns a successful response; any other status becomes a <see cref="ConfluenceApiException"/>.</summary>
        internal async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, HttpContent? content, IOperationLog log, CancellationToken cancellationToken, string accept = "application/json")
        {
            using var request = new HttpRequestMessage(method, uri) { Content = content };
            request.Headers.Authorization = credential.CreateHeader();
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

            var status = (int)response.StatusCode;
            log.Verbose($"{Describe(method, uri)} -> {status} {response.ReasonPhrase} ({stopwatch.ElapsedMilliseconds} ms)");
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
                default:
                    return null;
            }
        }

    }

    internal sealed class AuditPage
    {
        public AuditPage(IReadOnlyList<ConfluenceAuditRecord> records, int received, int? start, int? limit, int? size)
        {
            Records = records;
            Received = received;
            Start = start;
            Limit = limit;
            Size = size;
        }

        public IReadOnlyList<ConfluenceAuditRecord> Records { get; }

        /// <summary>Entries in the page's results, null ones included: how far the next page's start moves.</summary>
        public int Received { get; }

        public int? Start { get; }

        public int? Limit { get; }

        public int? Size { get; }
    }
}
