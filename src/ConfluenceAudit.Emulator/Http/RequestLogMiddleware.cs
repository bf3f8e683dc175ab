using System.Diagnostics;
using System.Text;
using ConfluenceAudit.Emulator.Control;
using ConfluenceAudit.Emulator.DataCenter;
using ConfluenceAudit.Emulator.Faults;
using ConfluenceAudit.Emulator.Store;

namespace ConfluenceAudit.Emulator.Http;

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
            if (request.Path.Value?.EndsWith("/token", StringComparison.Ordinal) == true)
            {
                // A token request holds the client secret: the log keeps its other fields only.
                body = OAuth.OAuthEndpoints.Redact(body);
            }
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
            if (latency > 0)
            {
                await Task.Delay(latency, context.RequestAborted).ConfigureAwait(false);
            }

            if (state.IsApiPath(entry.Path))
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
            if (settings.InsertPerRequest > 0)
            {
                InsertArrivals(settings.InsertPerRequest);
            }
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
            case FaultKinds.Body:
                await FaultResponses.WriteBodyAsync(context, settings).ConfigureAwait(false);
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
            if (copy.Length + n > MaxBodyBytes)
            {
                throw new BadHttpRequestException("Request body too large.", 413);
            }

            copy.Write(chunk, 0, n);
        }

        return copy.ToArray();
    }
}
