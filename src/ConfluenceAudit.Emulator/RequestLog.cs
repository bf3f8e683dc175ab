using System.Diagnostics;
using System.Text;

namespace ConfluenceAudit.Emulator;

/// <summary>One API request as tests see it. Holds the Authorization scheme only, never the credential.</summary>
internal sealed class RequestLogEntry
{
    public string Method { get; init; } = "";
    public string Path { get; init; } = "";

    /// <summary>The raw query string without the leading "?", or "" when there is none.</summary>
    public string Query { get; init; } = "";

    /// <summary>The response status; 0 while the request is still being answered.</summary>
    public int Status { get; set; }

    public string? AuthScheme { get; init; }

    /// <summary>The request body as text for POST and PUT, else null.</summary>
    public string? Body { get; init; }

    public string? UserAgent { get; init; }
}

/// <summary>Every API request since start (or the last clear), in arrival order. Capped so a long
/// benchmark cannot grow it without bound; the oldest entries go first.</summary>
internal sealed class RequestLog
{
    public const int MaxEntries = 200_000;
    private readonly Lock _lock = new();
    private readonly LinkedList<RequestLogEntry> _entries = new();

    public void Add(RequestLogEntry entry)
    {
        lock (_lock)
        {
            _entries.AddLast(entry);
            if (_entries.Count > MaxEntries) _entries.RemoveFirst();
        }
    }

    public List<RequestLogEntry> ToList()
    {
        lock (_lock) return [.. _entries];
    }

    public void Clear()
    {
        lock (_lock) _entries.Clear();
    }
}

/// <summary>The middleware in front of every non-control request: records it in the log, applies the
/// configured latency, and (unless --quiet) writes one line per request to stderr.</summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, RequestLog log, RuntimeSettings settings, bool quiet)
{
    /// <summary>HttpContext.Items key holding the request body bytes read here, so handlers need not
    /// read the stream twice.</summary>
    public const string BodyKey = "ConfluenceAudit.Emulator.Body";

    private const int MaxBodyBytes = 16 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(ControlEndpoints.Prefix))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        long started = Stopwatch.GetTimestamp();
        HttpRequest request = context.Request;
        string? body = null;
        if (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method))
        {
            byte[] bytes = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
            context.Items[BodyKey] = bytes;
            body = Encoding.UTF8.GetString(bytes);
        }

        var entry = new RequestLogEntry
        {
            Method = request.Method,
            Path = request.Path.Value ?? "",
            Query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "",
            AuthScheme = Authentication.SchemeOf(request.Headers.Authorization.ToString()),
            Body = body,
            UserAgent = request.Headers.UserAgent.Count > 0 ? request.Headers.UserAgent.ToString() : null,
        };
        log.Add(entry);

        try
        {
            int latency = settings.Current.LatencyMs;
            if (latency > 0) await Task.Delay(latency, context.RequestAborted).ConfigureAwait(false);
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
        finally
        {
            entry.Status = context.Response.StatusCode;
            if (!quiet)
            {
                double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Console.Error.WriteLine(
                    $"{entry.Method} {entry.Path}{request.QueryString} -> {entry.Status} ({entry.AuthScheme ?? "no auth"}) {ms:F1} ms");
            }
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancel)
    {
        using var copy = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
        {
            if (copy.Length + n > MaxBodyBytes) throw new BadHttpRequestException("Request body too large.", 413);
            copy.Write(chunk, 0, n);
        }

        return copy.ToArray();
    }
}
