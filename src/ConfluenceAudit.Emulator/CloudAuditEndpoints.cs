using System.Text.Json;

namespace ConfluenceAudit.Emulator;

/// <summary>The six operations of Confluence Cloud's audit resource, under /wiki/rest/api/audit.
/// Every one needs an administrator; authentication is checked before any input.</summary>
internal sealed class CloudAuditEndpoints(EmulatorState state)
{
    public const string BasePath = "/wiki/rest/api/audit";

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var endpoints = new CloudAuditEndpoints(state);
        app.MapGet(BasePath, new RequestDelegate(endpoints.GetRecordsAsync));
        app.MapPost(BasePath, new RequestDelegate(endpoints.CreateRecordAsync));
        app.MapGet(BasePath + "/since", new RequestDelegate(endpoints.GetSinceAsync));
        app.MapGet(BasePath + "/export", new RequestDelegate(endpoints.ExportAsync));
        app.MapGet(BasePath + "/retention", new RequestDelegate(endpoints.GetRetentionAsync));
        app.MapPut(BasePath + "/retention", new RequestDelegate(endpoints.SetRetentionAsync));
    }

    private static readonly string[] ResourcePaths =
        [BasePath, BasePath + "/since", BasePath + "/export", BasePath + "/retention"];

    public static bool IsResourcePath(string path) => Array.IndexOf(ResourcePaths, path) >= 0;

    /// <summary>The two listings (GET /audit and GET /audit/since), where records arrive and pages can be short.</summary>
    public static bool IsPagePath(string path) => path is BasePath or BasePath + "/since";

    private async Task GetRecordsAsync(HttpContext context)
    {
        if (!await ErrorResponses.AuthorizeAdminAsync(context, state.Accounts).ConfigureAwait(false)) return;
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
        if (!await ErrorResponses.AuthorizeAdminAsync(context, state.Accounts).ConfigureAwait(false)) return;
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
        if (context.Items[RequestLogMiddleware.FaultSettingsKey] is FaultSettings { IgnoreStart: true }) start = 0;
        int? shortTo = null;
        if (context.Items.ContainsKey(RequestLogMiddleware.ShortPageKey))
        {
            int full = Math.Min(effectiveLimit, Math.Max(0, selection.Count - start));
            shortTo = Math.Max(1, full / 2);
        }

        await PageWriter.WriteAsync(context, selection, start, effectiveLimit, settings.SizeIsTotal, shortTo).ConfigureAwait(false);
    }

    private async Task ExportAsync(HttpContext context)
    {
        if (!await ErrorResponses.AuthorizeAdminAsync(context, state.Accounts).ConfigureAwait(false)) return;
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
        if (!await ErrorResponses.AuthorizeAdminAsync(context, state.Accounts).ConfigureAwait(false)) return;
        if (!await RequireJsonAsync(context).ConfigureAwait(false)) return;
        byte[] body = RequestBody(context);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        AuditRecord? record = RecordCreateParser.Parse(body, now, out string? error);
        if (record is null)
        {
            await ErrorResponses.WriteAsync(context, 400, error!).ConfigureAwait(false);
            return;
        }

        byte[] json = RecordSeeder.Serialize(record);
        state.Store.Insert([new StoredRecord(record.CreationDate, json)]);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task GetRetentionAsync(HttpContext context)
    {
        if (!await ErrorResponses.AuthorizeAdminAsync(context, state.Accounts).ConfigureAwait(false)) return;
        await WriteRetentionAsync(context, state.Settings.Current.Retention).ConfigureAwait(false);
    }

    private async Task SetRetentionAsync(HttpContext context)
    {
        if (!await ErrorResponses.AuthorizeAdminAsync(context, state.Accounts).ConfigureAwait(false)) return;
        if (!await RequireJsonAsync(context).ConfigureAwait(false)) return;
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
        if (type is not null && type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)) return true;
        await ErrorResponses.WriteAsync(context, 415,
            $"Unsupported media type '{type}': send the body as application/json.").ConfigureAwait(false);
        return false;
    }

    private static byte[] RequestBody(HttpContext context) =>
        context.Items[RequestLogMiddleware.BodyKey] as byte[] ?? [];
}
