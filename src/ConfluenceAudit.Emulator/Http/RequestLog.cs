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

    /// <summary>The response status; 0 while the request is still being answered, and 0 when a 'drop' or 'reset'
    /// fault aborted the connection.</summary>
    public int Status { get; set; }

    /// <summary>True when the connection was aborted: by a 'drop' or 'reset' fault, or by the client going away.</summary>
    public bool Aborted { get; set; }

    /// <summary>The injected fault (429, 429-date, 429-huge, 503, 503-plain, drop, reset, slow, short), or null.</summary>
    public string? Fault { get; set; }

    public string? AuthScheme { get; init; }

    /// <summary>The request body as text for POST and PUT, else null.</summary>
    public string? Body { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>The X-Atlassian-Token header (Data Center's XSRF check wants "no-check" on POST and PUT), or null.</summary>
    public string? AtlassianToken { get; init; }

    /// <summary>When the request arrived, in epoch milliseconds (to measure a client's waits between retries).</summary>
    public long ReceivedMs { get; init; }
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
/// configured latency, injects the configured faults into API requests (under /wiki/rest/, or {context}/rest/ on
/// Data Center), and (unless
/// --quiet) writes one line per request to stderr.</summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, EmulatorState state, bool quiet)
{
    /// <summary>HttpContext.Items key holding the request body bytes read here, so handlers need not
    /// read the stream twice.</summary>
    public const string BodyKey = "ConfluenceAudit.Emulator.Body";

    /// <summary>HttpContext.Items key holding the <see cref="FaultSettings"/> a page request is served under, and
    /// <see cref="ShortPageKey"/> when it gets a 'short' fault.</summary>
    public const string FaultSettingsKey = "ConfluenceAudit.Emulator.FaultSettings";

    public const string ShortPageKey = "ConfluenceAudit.Emulator.ShortPage";

    private const int MaxBodyBytes = 16 * 1024 * 1024;

    // Time for the cut-off body to leave the socket before the connection is torn down.
    private const int DropGraceMs = 25;

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
            AtlassianToken = request.Headers.TryGetValue(DataCenterAuth.XsrfHeader, out var xsrf) ? xsrf.ToString() : null,
            ReceivedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        state.Log.Add(entry);

        try
        {
            int latency = state.Settings.Current.LatencyMs;
            if (latency > 0) await Task.Delay(latency, context.RequestAborted).ConfigureAwait(false);
            if (entry.Path.StartsWith(state.ApiPrefix, StringComparison.Ordinal))
            {
                await ServeApiAsync(context, entry).ConfigureAwait(false);
            }
            else
            {
                await next(context).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or a fault aborted the connection): nothing to answer.
        }
        finally
        {
            if (entry.Fault is { } fault && FaultKinds.Aborts(fault))
            {
                entry.Aborted = true;
                entry.Status = 0;
            }
            else
            {
                entry.Aborted = context.RequestAborted.IsCancellationRequested;
                entry.Status = context.Response.StatusCode;
            }

            if (!quiet)
            {
                double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                string faultNote = entry.Fault is null ? "" : $" [fault {entry.Fault}]";
                Console.Error.WriteLine(
                    $"{entry.Method} {entry.Path}{request.QueryString} -> {entry.Status}{(entry.Aborted ? " aborted" : "")}{faultNote} ({entry.AuthScheme ?? "no auth"}) {ms:F1} ms");
            }
        }
    }

    /// <summary>An API request: records inserted meanwhile, then the fault it draws (if any), then the answer.</summary>
    private async Task ServeApiAsync(HttpContext context, RequestLogEntry entry)
    {
        bool isPage = HttpMethods.IsGet(entry.Method) && state.IsPagePath(entry.Path);
        (string? kind, FaultSettings settings) = state.Faults.Next(entry.Method, entry.Path, isPage);
        entry.Fault = kind;
        if (isPage)
        {
            context.Items[FaultSettingsKey] = settings;
            if (settings.InsertPerRequest > 0) InsertArrivals(settings.InsertPerRequest);
        }

        switch (kind)
        {
            case null:
                await next(context).ConfigureAwait(false);
                return;
            case FaultKinds.RateLimited or FaultKinds.RateLimitedDate or FaultKinds.RateLimitedHuge:
                await FaultResponses.WriteRateLimitedAsync(context, kind, settings.RetryAfterSec).ConfigureAwait(false);
                return;
            case FaultKinds.Unavailable:
                await FaultResponses.WriteUnavailableAsync(context, settings.RetryAfterSec).ConfigureAwait(false);
                return;
            case FaultKinds.UnavailablePlain:
                await FaultResponses.WriteUnavailableAsync(context, null).ConfigureAwait(false);
                return;
            case FaultKinds.Reset:
                context.Abort();
                return;
            case FaultKinds.Slow:
                await Task.Delay(settings.SlowMs, context.RequestAborted).ConfigureAwait(false);
                await next(context).ConfigureAwait(false);
                return;
            case FaultKinds.Short:
                context.Items[ShortPageKey] = true;
                await next(context).ConfigureAwait(false);
                return;
            case FaultKinds.Drop:
                await ServeCutOffAsync(context).ConfigureAwait(false);
                return;
            default:
                throw new InvalidOperationException($"Fault kind '{kind}' has no implementation.");
        }
    }

    /// <summary>Handles the request for real, lets about half of the body out, then aborts the connection.</summary>
    private async Task ServeCutOffAsync(HttpContext context)
    {
        Stream original = context.Response.Body;
        var cut = new CutOffStream(original, context.Response);
        context.Response.Body = cut;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // Aborted anyway.
        }

        try
        {
            await original.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            await Task.Delay(DropGraceMs, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client left first.
        }

        context.Abort();
    }

    private void InsertArrivals(int count)
    {
        StoredRecord[] records = state.Generate(count, state.NowMs());
        state.Store.Insert(records);
        state.Faults.CountInserted(count);
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
