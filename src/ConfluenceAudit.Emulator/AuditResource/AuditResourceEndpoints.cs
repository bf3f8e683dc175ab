using System.Text.Json;
using ConfluenceAudit.Emulator.DataCenter;
using ConfluenceAudit.Emulator.Faults;
using ConfluenceAudit.Emulator.Hosting;
using ConfluenceAudit.Emulator.Http;
using ConfluenceAudit.Emulator.Seeding;
using ConfluenceAudit.Emulator.Store;

namespace ConfluenceAudit.Emulator.AuditResource;

/// <summary>The six operations of the audit resource, which Cloud and Data Center share: Confluence Cloud's under
/// /wiki/rest/api/audit; on Data Center the same resource (the legacy one, deprecated since 7.5) under
/// {context}/rest/api/audit, with Data Center's sign-in, an XSRF check on POST and PUT, and a POST that 9.x no longer
/// offers (--dc-legacy-post). Every one needs an administrator; authentication is checked before any input.</summary>
internal sealed class AuditResourceEndpoints(EmulatorState state, string basePath, string contextPath, Func<HttpContext, Task<bool>> authorize, bool dataCenter)
{
    public const string BasePath = "/wiki/rest/api/audit";

    /// <summary>Confluence Cloud's resource, under /wiki/rest/api/audit.</summary>
    public static void MapCloud(IEndpointRouteBuilder app, EmulatorState state) =>
        Map(app, new AuditResourceEndpoints(state, BasePath, "/wiki", c => ErrorResponses.AuthorizeAdminAsync(c, state.Accounts), dataCenter: false));

    /// <summary>The same resource through the API gateway, /ex/confluence/{cloudId}/wiki/rest/api/audit: OAuth 2.0 access tokens only.</summary>
    public static void MapGateway(IEndpointRouteBuilder app, EmulatorState state, string gatewayWiki, Func<HttpContext, Task<bool>> authorize) =>
        Map(app, new AuditResourceEndpoints(state, gatewayWiki + "/rest/api/audit", gatewayWiki, authorize, dataCenter: false));

    /// <summary>The legacy resource of a Data Center server, under {context}/rest/api/audit.</summary>
    public static void MapDataCenter(IEndpointRouteBuilder app, EmulatorState state, Func<HttpContext, Task<bool>> authorize) =>
        Map(app, new AuditResourceEndpoints(state, state.Options.ContextPath + "/rest/api/audit", state.Options.ContextPath, authorize, dataCenter: true));

    /// <summary>The resource's path: /wiki/rest/api/audit, or {context}/rest/api/audit on Data Center.</summary>
    public string ResourceBase => basePath;

    private static void Map(IEndpointRouteBuilder app, AuditResourceEndpoints endpoints)
    {
        string b = endpoints.ResourceBase;
        app.MapGet(b, new RequestDelegate(endpoints.GetRecordsAsync));
        app.MapPost(b, new RequestDelegate(endpoints.CreateRecordAsync));
        app.MapGet(b + "/since", new RequestDelegate(endpoints.GetSinceAsync));
        app.MapGet(b + "/export", new RequestDelegate(endpoints.ExportAsync));
        app.MapGet(b + "/retention", new RequestDelegate(endpoints.GetRetentionAsync));
        app.MapPut(b + "/retention", new RequestDelegate(endpoints.SetRetentionAsync));
    }

    /// <summary>True for a path of the resource under <paramref name="resourceBase"/> (without a trailing '/').</summary>
    public static bool IsResourcePath(string path, string resourceBase = BasePath) =>
        path == resourceBase || path == resourceBase + "/since" || path == resourceBase + "/export" || path == resourceBase + "/retention";

    private async Task GetRecordsAsync(HttpContext context)
    {
        if (!await authorize(context).ConfigureAwait(false))
        {
            return;
        }

        HttpRequest q = context.Request;
        if (!QueryParameters.TryEpochMs(q, "startDate", out long? from, out string? error)
            || !QueryParameters.TryEpochMs(q, "endDate", out long? to, out error)
            || !TryPaging(q, out int start, out int limit, out error))
        {
            await ErrorResponses.WriteAsync(context, 400, error!).ConfigureAwait(false);
            return;
        }

        await WritePageAsync(context, from, to, start, limit).ConfigureAwait(false);
    }

    private async Task GetSinceAsync(HttpContext context)
    {
        if (!await authorize(context).ConfigureAwait(false))
        {
            return;
        }

        HttpRequest q = context.Request;
        string units = QueryParameters.First(q, "units") is { Length: > 0 } u ? u : "MONTHS";
        if (!QueryParameters.TryLong(q, "number", 3, 1, out long number, out string? error)
            || !TryPaging(q, out int start, out int limit, out error))
        {
            await ErrorResponses.WriteAsync(context, 400, error!).ConfigureAwait(false);
            return;
        }

        if (!ChronoUnits.IsSinceUnit(units))
        {
            await ErrorResponses.WriteAsync(context, 400,
                $"Invalid 'units' value '{units}': use one of {string.Join(", ", ChronoUnits.SinceUnits)}.").ConfigureAwait(false);
            return;
        }

        long cutoff = ChronoUnits.CutoffEpochMs(DateTimeOffset.UtcNow, number, units);
        await WritePageAsync(context, cutoff, null, start, limit).ConfigureAwait(false);
    }

    private async Task WritePageAsync(HttpContext context, long? from, long? to, int start, int limit)
    {
        SettingsValues settings = state.Settings.Current;
        string? search = QueryParameters.First(context.Request, "searchString");
        RecordSelection selection = RecordSelection.Select(state.Store.Current, from, to, search, state.Search);

        // The server caps the page size and echoes the cap, which is how a client can tell.
        int effectiveLimit = Math.Min(limit, settings.MaxLimit);

        // Injected faults (see RequestLogMiddleware): a server that ignores 'start', a short page in the middle.
        if (context.Items[RequestLogMiddleware.FaultSettingsKey] is FaultSettings { IgnoreStart: true })
        {
            start = 0;
        }

        int? shortTo = null;
        if (context.Items.ContainsKey(RequestLogMiddleware.ShortPageKey))
        {
            int full = Math.Min(effectiveLimit, Math.Max(0, selection.Count - start));
            shortTo = Math.Max(1, full / 2);
        }

        await PageWriter.WriteAsync(context, selection, start, effectiveLimit, settings.SizeIsTotal, shortTo, contextPath).ConfigureAwait(false);
    }

    private async Task ExportAsync(HttpContext context)
    {
        if (!await authorize(context).ConfigureAwait(false))
        {
            return;
        }

        HttpRequest q = context.Request;
        string format = QueryParameters.First(q, "format") is { Length: > 0 } f ? f : "csv";
        if (!QueryParameters.TryEpochMs(q, "startDate", out long? from, out string? error)
            || !QueryParameters.TryEpochMs(q, "endDate", out long? to, out error))
        {
            await ErrorResponses.WriteAsync(context, 400, error!).ConfigureAwait(false);
            return;
        }

        if (format is not ("csv" or "zip"))
        {
            await ErrorResponses.WriteAsync(context, 400, $"Invalid 'format' value '{format}': use csv or zip.").ConfigureAwait(false);
            return;
        }

        string? search = QueryParameters.First(q, "searchString");
        RecordSelection selection = RecordSelection.Select(state.Store.Current, from, to, search, state.Search);
        await AuditExport.WriteAsync(context, selection, zip: format == "zip").ConfigureAwait(false);
    }

    private async Task CreateRecordAsync(HttpContext context)
    {
        // Jersey matches the method before any filter runs: a server without the POST answers 405 to anyone.
        if (dataCenter && !state.Settings.Current.DcLegacyPost)
        {
            await ErrorResponses.WriteAsync(context, 405, $"Method POST is not allowed on {basePath}.").ConfigureAwait(false);
            return;
        }

        if (!await authorize(context).ConfigureAwait(false))
        {
            return;
        }

        if (dataCenter && !await DataCenterAuth.CheckXsrfAsync(context).ConfigureAwait(false))
        {
            return;
        }

        if (!await RequireJsonAsync(context).ConfigureAwait(false))
        {
            return;
        }

        byte[] body = RequestBody(context);
        long now = state.NowMs();
        AuditRecord? record = RecordCreateParser.Parse(body, now, out string? error);
        if (record is null)
        {
            await ErrorResponses.WriteAsync(context, 400, error!).ConfigureAwait(false);
            return;
        }

        // Cloud mode draws nothing here, so the records inserted later are those it always inserted.
        long index = state.DataCenter is null ? 0 : state.NextGeneratedIndex(1);
        StoredRecord stored = RecordSeeder.Created(record, state.Options.Seed, index, state.DataCenter);
        byte[] json = stored.Json.ToArray();
        state.Store.Insert([stored]);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task GetRetentionAsync(HttpContext context)
    {
        if (!await authorize(context).ConfigureAwait(false))
        {
            return;
        }

        await WriteRetentionAsync(context, state.Settings.Current.Retention).ConfigureAwait(false);
    }

    private async Task SetRetentionAsync(HttpContext context)
    {
        if (!await authorize(context).ConfigureAwait(false))
        {
            return;
        }

        if (dataCenter && !await DataCenterAuth.CheckXsrfAsync(context).ConfigureAwait(false))
        {
            return;
        }

        if (!await RequireJsonAsync(context).ConfigureAwait(false))
        {
            return;
        }

        RetentionPeriod? period = ParseRetention(RequestBody(context), out string? error);
        if (period is null)
        {
            await ErrorResponses.WriteAsync(context, 400, error!).ConfigureAwait(false);
            return;
        }

        state.Settings.Update(s => s with { Retention = period });
        await WriteRetentionAsync(context, period).ConfigureAwait(false);
    }

    private static RetentionPeriod? ParseRetention(byte[] body, out string? error)
    {
        error = null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("number", out JsonElement n) || n.ValueKind != JsonValueKind.Number
                || !n.TryGetInt32(out int number)
                || !root.TryGetProperty("units", out JsonElement u) || u.ValueKind != JsonValueKind.String)
            {
                error = "The body must be a RetentionPeriod: {\"number\": <int32>, \"units\": \"<ChronoUnit>\"}.";
                return null;
            }

            string units = u.GetString()!;
            if (!ChronoUnits.IsRetentionUnit(units))
            {
                error = $"Invalid retention units '{units}': use one of {string.Join(", ", ChronoUnits.RetentionUnits)}.";
                return null;
            }

            if (number < 1 || !ChronoUnits.FitsRetentionMaximum(number, units))
            {
                error = $"Invalid retention period {number} {units}: it must be at least 1 unit and the maximum is 1 year.";
                return null;
            }

            return new RetentionPeriod(number, units);
        }
        catch (JsonException e)
        {
            error = "The request body is not valid JSON: " + e.Message;
            return null;
        }
    }

    private static async Task WriteRetentionAsync(HttpContext context, RetentionPeriod period)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(period, EmulatorJson.Audit.RetentionPeriod);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    private static bool TryPaging(HttpRequest q, out int start, out int limit, out string? error)
    {
        limit = 0;
        return QueryParameters.TryInt(q, "start", 0, 0, out start, out error)
            && QueryParameters.TryInt(q, "limit", 1000, 0, out limit, out error);
    }

    // Jersey answers 415 when a JSON resource is sent something that does not say it is JSON.
    private static async Task<bool> RequireJsonAsync(HttpContext context)
    {
        string? type = context.Request.ContentType;
        if (type is not null && type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        await ErrorResponses.WriteAsync(context, 415,
            $"Unsupported media type '{type}': send the body as application/json.").ConfigureAwait(false);
        return false;
    }

    private static byte[] RequestBody(HttpContext context) =>
        context.Items[RequestLogMiddleware.BodyKey] as byte[] ?? [];
}
