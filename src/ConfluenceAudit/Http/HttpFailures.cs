using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Http;

/// <summary>
/// The one map from an HTTP outcome to an error id, a kind and a message in the API's terms.
/// PowerShell/ErrorRecords maps the kind to PowerShell's ErrorCategory and adds which parameter to change.
/// </summary>
internal static class HttpFailures
{
    private const int MaxErrorBodyChars = 4096;

    public static ConfluenceApiException FromStatus(int status, string? serverMessage, string request, string? location = null)
    {
        string detail = string.IsNullOrEmpty(serverMessage) ? string.Empty : " The server said: " + serverMessage;
        switch (status)
        {
            case 400:
                return Create("ConfluenceBadRequest", FailureKind.BadRequest, status, serverMessage, request,
                    $"Confluence refused the request as invalid (400).{detail}");
            case 401:
                return Create("ConfluenceAuthenticationFailed", FailureKind.Authentication, status, serverMessage, request,
                    "Confluence did not accept the credentials (401). Cloud takes an Atlassian account e-mail with an API token " +
                    "(https://id.atlassian.com/manage-profile/security/api-tokens), never the account's password; Data Center takes a personal access token." + detail);
            case 403:
                return Create("ConfluencePermissionDenied", FailureKind.Permission, status, serverMessage, request,
                    "The account was authenticated but may not use the audit log (403). Reading and changing the audit log needs the 'Confluence Administrator' " +
                    "global permission (OAuth scopes read:audit-log:confluence and write:audit-log:confluence); the Free plan has no audit log." + detail);
            case 404:
                return Create("ConfluenceNotFound", FailureKind.NotFound, status, serverMessage, request,
                    "The audit API was not found at this address (404). Is the base URL right? For Cloud use https://<site>.atlassian.net (the module adds /wiki); " +
                    "for Data Center use the server's URL with its context path, such as https://wiki.example.com/confluence." + detail);
            case 407:
                return Create("ConfluenceProxyAuthenticationFailed", FailureKind.Authentication, status, serverMessage, request,
                    "The proxy refused the request (407 Proxy Authentication Required): it is the proxy, not Confluence, that wants credentials." + detail);
            case 429:
                return Create("ConfluenceRateLimited", FailureKind.Throttled, status, serverMessage, request,
                    "Confluence is rate limiting this account (429). Wait and try again, or lower the request rate." + detail);
            case 503:
                return Create("ConfluenceUnavailable", FailureKind.Unavailable, status, serverMessage, request,
                    "Confluence is temporarily unavailable (503). Try again later." + detail);
        }

        if (status >= 300 && status < 400)
        {
            return Create("ConfluenceRedirected", FailureKind.Authentication, status, serverMessage, request,
                $"Confluence answered with a redirect ({status}{(location is null ? string.Empty : " to " + location)}) instead of the audit API. " +
                "A server does this when it treats the request as anonymous (a wrong or expired token) and sends it to its login page, or when the base URL " +
                "is not the site's canonical address. Check the credentials and use the exact base URL; credentials are never sent to a redirect target.");
        }

        if (status >= 500)
        {
            return Create("ConfluenceServerError", FailureKind.Unavailable, status, serverMessage, request,
                $"Confluence failed with a server error ({status}). Try again later.{detail}");
        }

        return Create("ConfluenceRequestFailed", FailureKind.Other, status, serverMessage, request,
            $"Confluence answered {status}.{detail}");
    }

    public static ConfluenceApiException Timeout(string request, TimeSpan timeout, Exception inner) =>
        new ConfluenceApiException("ConfluenceTimeout", FailureKind.Timeout,
            $"Confluence did not answer within {timeout.TotalSeconds:0.###} seconds ({request}). Try again.",
            requestUri: request, innerException: inner);

    public static ConfluenceApiException ConnectionFailed(string request, Exception inner)
    {
        if (IsCertificateFailure(inner))
        {
            // Retrying cannot help: the same certificate comes back every time.
            return new ConfluenceApiException("ConfluenceConnectionFailed", FailureKind.Connection,
                $"Could not connect securely to Confluence ({request}): {Describe(inner)} The server's certificate is not trusted by this machine. " +
                "Add the certificate authority that issued it to this machine's trusted ones.",
                requestUri: request, innerException: inner)
            {
                Transient = false,
            };
        }

        return new ConfluenceApiException("ConfluenceConnectionFailed", FailureKind.Connection,
            $"Could not reach Confluence ({request}): {Describe(inner)} Check the base URL, the network and any proxy.",
            requestUri: request, innerException: inner);
    }

    private static bool IsCertificateFailure(Exception exception)
    {
        for (var inner = (Exception?)exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A listing or an export the server's answers no longer move forward (it ignores where to start, or repeats
    /// itself): ended instead of asking again and again.
    /// </summary>
    /// <param name="what">"listing" or "export".</param>
    /// <param name="sofar">What was delivered before it stopped, as a sentence.</param>
    public static ConfluenceApiException PagingStalled(string what, int requests, string problem, string sofar, string? request = null) =>
        new ConfluenceApiException("ConfluencePagingStalled", FailureKind.InvalidResponse,
            $"The {what} stopped making progress after {requests} requests: {problem} {sofar}", requestUri: request);

    public static ConfluenceApiException InvalidResponse(string request, string problem, Exception? inner = null) =>
        new ConfluenceApiException("ConfluenceInvalidResponse", FailureKind.InvalidResponse,
            $"Confluence sent a response the module cannot read ({request}): {problem}",
            requestUri: request, innerException: inner);

    /// <summary>
    /// A successful answer that is not what was asked for (<paramref name="expected"/>: JSON, or the export's file). A
    /// login page means the server took the request for an anonymous one (a wrong or expired token; CONFSERVER-98199),
    /// which is an authentication failure; any other page (a proxy's error page, a half-deployed server) is an answer
    /// the module cannot read.
    /// </summary>
    public static async Task<ConfluenceApiException> UnexpectedContentAsync(HttpResponseMessage response, string request, string mediaType, string expected, CancellationToken cancellationToken)
    {
        var start = await ReadStartAsync(response, cancellationToken).ConfigureAwait(false);
        var redirectedTo = response.RequestMessage?.RequestUri?.AbsolutePath ?? string.Empty;
        if (LooksLikeLogin(start) || LooksLikeLogin(redirectedTo))
        {
            return new ConfluenceApiException("ConfluenceUnexpectedResponse", FailureKind.Authentication,
                $"Confluence answered with '{mediaType}' instead of {expected} ({request}). " +
                "A server does this when it treats the request as anonymous (a wrong or expired token) and shows its login page. Check the credentials and the base URL.",
                requestUri: request);
        }

        return InvalidResponse(request, $"it is '{mediaType}', not {expected}: an error page from a proxy or a server that is not Confluence's REST API answered.");
    }

    private static ConfluenceApiException Create(string id, FailureKind kind, int status, string? serverMessage, string request, string message) =>
        new ConfluenceApiException(id, kind, message, status, serverMessage, request);

    private static string Describe(Exception exception)
    {
        // HttpRequestException wraps the socket error that says what really happened.
        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var text = innermost.Message.TrimEnd();
        return text.EndsWith(".", StringComparison.Ordinal) ? text : text + ".";
    }

    /// <summary>
    /// The server's own words from an error response: Confluence's "message", Data Center's array of errors, a
    /// gateway's "errorMessages", or the start of a plain-text body; never an HTML page. Only the first 64 KB are read.
    /// </summary>
    public static async Task<string?> ReadServerMessageAsync(HttpResponseMessage response, System.Threading.CancellationToken cancellationToken)
    {
        string text;
        try
        {
            // Only the start of an error body is read: enough for any message, whatever size the body is.
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var buffer = new byte[64 * 1024];
            var length = 0;
            int count;
            while (length < buffer.Length && (count = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += count;
            }

            text = Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (Exception exception) when (exception is HttpRequestException || exception is IOException || exception is ObjectDisposedException || exception is OperationCanceledException)
        {
            return null;
        }

        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            // Data Center's auditing framework sends its errors as an array of such objects.
            var trimmed = text.TrimStart();
            if (trimmed.StartsWith("[", StringComparison.Ordinal))
            {
                using var document = JsonDocument.Parse(trimmed);
                if (document.RootElement.GetArrayLength() > 0 && document.RootElement[0].ValueKind == JsonValueKind.Object &&
                    document.RootElement[0].TryGetProperty("message", out var first) && first.ValueKind == JsonValueKind.String)
                {
                    return first.GetString();
                }
            }

            var body = JsonSerializer.Deserialize(text, AuditJsonContext.Default.WireErrorBody);
            if (!string.IsNullOrEmpty(body?.Message))
            {
                return body!.Message;
            }

            if (body?.ErrorMessages is { Count: > 0 } messages)
            {
                return string.Join(" ", messages);
            }
        }
        catch (JsonException)
        {
            // Not JSON: an HTML error page or plain text; fall through to the raw text.
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
        if (mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return null;
        }

        return text.Length <= MaxErrorBodyChars ? text.Trim() : text.Substring(0, MaxErrorBodyChars).Trim() + "…";
    }

    /// <summary>The first characters of a body, enough to recognise a page; never the whole of a large one.</summary>
    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        const int Limit = 16 * 1024;
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var buffer = new byte[Limit];
            var filled = 0;
            int read;
            while (filled < Limit && (read = await stream.ReadAsync(buffer, filled, Limit - filled, cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, filled);
        }
        catch (Exception exception) when (exception is IOException || exception is HttpRequestException)
        {
            return string.Empty;
        }
    }

    private static bool LooksLikeLogin(string text) =>
        LoginMarkers.Any(marker => text.IndexOf(marker, StringComparison.OrdinalIgnoreCase) >= 0);

    private static readonly string[] LoginMarkers =
        { "log in", "login", "log-in", "sign in", "signin", "j_security_check", "type=\"password\"" };

    internal static bool IsSuccess(HttpStatusCode status) => (int)status >= 200 && (int)status < 300;
}
