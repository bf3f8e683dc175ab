using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ConfluenceAudit.Emulator.AuditResource;
using ConfluenceAudit.Emulator.Faults;
using ConfluenceAudit.Emulator.Hosting;
using ConfluenceAudit.Emulator.Http;
using ConfluenceAudit.Emulator.Store;

namespace ConfluenceAudit.Emulator.DataCenter;

/// <summary>
/// Confluence Data Center under its context path: the auditing framework (7.5 and later) with its events (JSON and
/// CSV) and its retention, the legacy /rest/api/audit resource, and the login page anonymous requests are sent to.
/// Every read of the events adds an "Audit Log search performed" event dated now, as the real server does.
/// </summary>
internal sealed class DataCenterEndpoints(EmulatorState state, DataCenterProfile profile)
{
    /// <summary>Under the context path.</summary>
    public const string EventsPath = "/rest/auditing/1.0/events";

    public const string RetentionPath = "/rest/auditing/1.0/configuration/retention";

    public const string LoginPath = "/login.action";

    private const int RowsBetweenCancellationChecks = 256;

    private string ContextPath => state.Options.ContextPath;

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        DataCenterProfile profile = state.DataCenter ?? throw new InvalidOperationException("Not in Data Center mode.");
        var endpoints = new DataCenterEndpoints(state, profile);
        string ctx = state.Options.ContextPath;
        if (profile.Options.HasFramework)
        {
            app.MapGet(ctx + EventsPath, new RequestDelegate(endpoints.GetEventsAsync));
            app.MapGet(ctx + RetentionPath, new RequestDelegate(endpoints.GetRetentionAsync));
            app.MapPut(ctx + RetentionPath, new RequestDelegate(endpoints.SetRetentionAsync));
        }

        AuditResourceEndpoints.MapDataCenter(app, state, c => DataCenterAuth.AuthorizeLegacyAsync(c, state));
        app.MapGet(ctx + LoginPath, new RequestDelegate(c => DataCenterAuth.WriteLoginPageAsync(c, state)));
    }

    /// <summary>The paths that exist (so another method gets 405, not 404).</summary>
    public static bool IsResourcePath(EmulatorState state, string path)
    {
        string ctx = state.Options.ContextPath;
        if (AuditResourceEndpoints.IsResourcePath(path, ctx + "/rest/api/audit"))
        {
            return true;
        }

        return state.DataCenter is { Options.HasFramework: true } && (path == ctx + EventsPath || path == ctx + RetentionPath);
    }

    private async Task GetEventsAsync(HttpContext context)
    {
        AuthOutcome? who = await DataCenterAuth.AuthenticateAsync(context, state).ConfigureAwait(false);
        if (who is null)
        {
            return;
        }

        DataCenterQuery? query = DataCenterQuery.Parse(context.Request, out string? key, out string? error);
        if (query is null)
        {
            await DataCenterErrors.WriteAsync(context, 400, key!, error!).ConfigureAwait(false);
            return;
        }

        if (who == AuthOutcome.NotAdmin && !OnlyOwnSpaces(query))
        {
            await DataCenterErrors.WriteAsync(context, 403, "atlassian.audit.rest.error.permission.denied",
                "You are not allowed to view these audit events: the global audit log needs an administrator; a space "
                + "administrator may view the events of their spaces only.").ConfigureAwait(false);
            return;
        }

        if (query.FiltersByType && profile.Options.ServerLicence)
        {
            await DataCenterErrors.WriteAsync(context, 400, "atlassian.audit.rest.error.license",
                "Filtering by category or action needs a Data Center licence.").ConfigureAwait(false);
            return;
        }

        SettingsValues settings = state.Settings.Current;
        if (query.Search is not null && settings.DcSearchTimeout)
        {
            context.Response.StatusCode = 500;
            context.Response.ContentType = "text/plain;charset=UTF-8";
            await context.Response.WriteAsync(
                "The audit log search timed out. Narrow the search with a date range, or lower scanLimit.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        bool ignoreStart = context.Items[RequestLogMiddleware.FaultSettingsKey] is FaultSettings { IgnoreStart: true };
        bool shortPage = context.Items.ContainsKey(RequestLogMiddleware.ShortPageKey);
        StoreSnapshot snapshot = state.Store.Current;
        int limit = query.Csv ? Math.Min(query.Limit, settings.DcCsvCap) : Math.Min(query.Limit, settings.DcMaxLimit);

        // CSV pages by offset and limit only; JSON by cursor too.
        (long, long)? cursor = query.Csv || ignoreStart ? null : query.Cursor;
        (List<int> page, bool more) = Select(snapshot, query, cursor, ignoreStart ? 0 : query.Offset, limit);
        if (shortPage && page.Count > 1)
        {
            page.RemoveRange(Math.Max(1, page.Count / 2), page.Count - Math.Max(1, page.Count / 2));
            more = true;
        }

        // The read is audited (after choosing the page, so this read does not list its own event).
        string remote = context.Connection.RemoteIpAddress?.ToString() ?? "";
        state.Store.Insert([profile.SearchPerformed(
            state.NowMs(), who == AuthOutcome.Admin, remote.Length > 0 ? remote : null,
            DataCenterQuery.QueryWithout(context.Request), page.Count)]);

        if (query.Csv)
        {
            await WriteCsvAsync(context, snapshot, page).ConfigureAwait(false);
        }
        else
        {
            await WritePageAsync(context, snapshot, page, more, ignoreStart ? 0 : query.Offset, settings.DcCursorObject).ConfigureAwait(false);
        }
    }

    /// <summary>A space administrator may read with affectedObject naming only spaces they administer.</summary>
    private static bool OnlyOwnSpaces(DataCenterQuery query) =>
        query.Affected is { Length: > 0 } refs
        && refs.All(r => string.Equals(r.Type, "space", StringComparison.OrdinalIgnoreCase) && r.Id == DataCenterProfile.UserSpaceId);

    /// <summary>Newest first by (timestamp, id): the matching events older than the cursor, past <paramref name="skip"/>
    /// of them, at most <paramref name="limit"/>; <c>more</c> when another matching event follows.</summary>
    private static (List<int> Page, bool More) Select(StoreSnapshot snapshot, DataCenterQuery query, (long Date, long Id)? cursor, int skip, int limit)
    {
        int lo = query.FromMs is long from ? snapshot.LowerBound(from) : 0;
        int hi = query.ToMs is long to ? snapshot.UpperBound(to) : snapshot.Count;
        if (cursor is { } c)
        {
            hi = Math.Min(hi, snapshot.LowerBound(c.Date, c.Id));
        }

        var page = new List<int>(Math.Min(limit, Math.Max(0, hi - lo)));
        for (int i = hi - 1; i >= lo; i--)
        {
            DataCenterEvent? e = snapshot.EventAt(i);
            if (e is null || !query.Matches(e))
            {
                continue;
            }

            if (skip > 0)
            {
                skip--;
                continue;
            }

            if (page.Count == limit)
            {
                return (page, true);
            }

            page.Add(i);
        }

        return (page, false);
    }

    private async Task WritePageAsync(HttpContext context, StoreSnapshot snapshot, List<int> page, bool more, int offset, bool cursorObject)
    {
        var buffer = new ArrayBufferWriter<byte>(4096 + (page.Count * 1024));
        using (var w = new Utf8JsonWriter(buffer, EmulatorJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray("entities");
            foreach (int i in page)
            {
                w.WriteRawValue(snapshot.EventAt(i)!.Json.Span, skipInputValidation: true);
            }

            w.WriteEndArray();
            w.WriteStartObject("pagingInfo");
            w.WriteBoolean("lastPage", !more);
            w.WriteNumber("size", page.Count);
            if (more)
            {
                int last = page[^1];
                string next = string.Create(CultureInfo.InvariantCulture, $"{snapshot.DateAt(last)},{snapshot.IdAt(last)}");
                w.WriteNumber("nextPageOffset", offset + page.Count);
                if (cursorObject)
                {
                    w.WriteStartObject("nextPageCursor");
                    w.WriteString("cursor", next);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString("nextPageCursor", next);
                }

                // Built from the configured base URL, not from the URL the client used.
                string filters = DataCenterQuery.QueryWithout(context.Request, "offset", "pageCursor");
                w.WriteString("nextPageLink", profile.Canonical + EventsPath + "?" + filters + (filters.Length > 0 ? "&" : "") + "pageCursor=" + next);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteCsvAsync(HttpContext context, StoreSnapshot snapshot, List<int> page)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = new CsvWriter(text);
        DataCenterCsv.WriteHeader(csv);
        for (int k = 0; k < page.Count; k++)
        {
            if (k % RowsBetweenCancellationChecks == 0)
            {
                context.RequestAborted.ThrowIfCancellationRequested();
            }

            DataCenterCsv.WriteRow(csv, snapshot.EventAt(page[k])!.Json.Span);
        }

        byte[] bytes = new UTF8Encoding(false).GetBytes(text.ToString());
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/csv;charset=UTF-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"auditing-events.csv\"";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task GetRetentionAsync(HttpContext context)
    {
        if (!await AuthorizeAdminAsync(context).ConfigureAwait(false))
        {
            return;
        }

        await WriteRetentionAsync(context, state.Settings.Current.DcRetention).ConfigureAwait(false);
    }

    private async Task SetRetentionAsync(HttpContext context)
    {
        if (!await AuthorizeAdminAsync(context).ConfigureAwait(false))
        {
            return;
        }

        if (!await DataCenterAuth.CheckXsrfAsync(context).ConfigureAwait(false))
        {
            return;
        }

        string? type = context.Request.ContentType;
        if (type is null || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await DataCenterErrors.WriteAsync(context, 415, "atlassian.audit.rest.error.media.type",
                $"Unsupported media type '{type}': send the body as application/json.").ConfigureAwait(false);
            return;
        }

        DataCenterPeriod? period = ParsePeriod(context.Items[RequestLogMiddleware.BodyKey] as byte[] ?? [], out string? error);
        if (period is null)
        {
            await DataCenterErrors.WriteAsync(context, 400, "atlassian.audit.rest.error.invalid.retention", error!).ConfigureAwait(false);
            return;
        }

        state.Settings.Update(s => s with { DcRetention = period.Value });
        await WriteRetentionAsync(context, period.Value).ConfigureAwait(false);
    }

    private async Task<bool> AuthorizeAdminAsync(HttpContext context)
    {
        AuthOutcome? who = await DataCenterAuth.AuthenticateAsync(context, state).ConfigureAwait(false);
        if (who is null)
        {
            return false;
        }

        if (who == AuthOutcome.Admin)
        {
            return true;
        }

        await DataCenterErrors.WriteAsync(context, 403, "atlassian.audit.rest.error.permission.denied",
            "You are not allowed to view or change the audit log configuration: it needs a system administrator.").ConfigureAwait(false);
        return false;
    }

    /// <summary>{"period":{"years":Y,"months":M,"days":D}}: a missing part is 0; parts must be whole numbers of at
    /// least 0, and not all 0. No maximum.</summary>
    private static DataCenterPeriod? ParsePeriod(byte[] body, out string? error)
    {
        error = null;
        const string Shape = "The body must be {\"period\":{\"years\":Y,\"months\":M,\"days\":D}} with whole numbers of at least 0 (a missing part counts as 0).";
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("period", out JsonElement p) || p.ValueKind != JsonValueKind.Object)
            {
                error = Shape;
                return null;
            }

            int[] parts = new int[3];
            string[] names = ["years", "months", "days"];
            for (int k = 0; k < 3; k++)
            {
                if (!p.TryGetProperty(names[k], out JsonElement v) || v.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out parts[k]) || parts[k] < 0)
                {
                    error = Shape;
                    return null;
                }
            }

            var period = new DataCenterPeriod(parts[0], parts[1], parts[2]);
            if (period.IsZero)
            {
                error = "The retention period must be longer than 0 days.";
                return null;
            }

            return period;
        }
        catch (JsonException e)
        {
            error = "The request body is not valid JSON: " + e.Message;
            return null;
        }
    }

    /// <summary>The period with its zero parts left out (a client must count a missing part as 0).</summary>
    private static async Task WriteRetentionAsync(HttpContext context, DataCenterPeriod period)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer, EmulatorJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartObject("period");
            if (period.Years != 0)
            {
                w.WriteNumber("years", period.Years);
            }

            if (period.Months != 0)
            {
                w.WriteNumber("months", period.Months);
            }

            if (period.Days != 0 || period.IsZero)
            {
                w.WriteNumber("days", period.Days);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
