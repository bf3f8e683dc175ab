using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ConfluenceAudit.Emulator.AuditResource;
using ConfluenceAudit.Emulator.DataCenter;
using ConfluenceAudit.Emulator.Faults;
using ConfluenceAudit.Emulator.Hosting;
using ConfluenceAudit.Emulator.Http;
using ConfluenceAudit.Emulator.Store;

namespace ConfluenceAudit.Emulator.Control;

/// <summary>Test hooks under /__emulator/: not part of Confluence, no authentication, loopback only,
/// not logged, not delayed and never faulted.</summary>
internal sealed class ControlEndpoints(EmulatorState state)
{
    public const string Prefix = "/__emulator";
    private const int MaxInsert = 1_000_000;

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var c = new ControlEndpoints(state);
        app.MapGet(Prefix + "/requests", Guard(c.GetRequestsAsync));
        app.MapDelete(Prefix + "/requests", Guard(c.ClearRequests));
        app.MapPost(Prefix + "/records", Guard(c.InsertRecordsAsync));
        app.MapGet(Prefix + "/records/count", Guard(c.CountAsync));
        app.MapGet(Prefix + "/config", Guard(c.GetConfigAsync));
        app.MapPost(Prefix + "/config", Guard(c.SetConfigAsync));
        app.MapPost(Prefix + "/reset", Guard(c.ResetAsync));
        app.MapGet(Prefix + "/faults", Guard(c.GetFaultsAsync));
        app.MapPost(Prefix + "/faults", Guard(c.SetFaultsAsync));
        app.MapDelete(Prefix + "/faults", Guard(c.ClearFaultsAsync));
        app.MapGet(Prefix + "/stats", Guard(c.GetStatsAsync));
        app.MapDelete(Prefix + "/stats", Guard(c.ClearStats));
        app.MapGet(Prefix + "/oauth", Guard(c.GetOAuthAsync));
        app.MapPost(Prefix + "/oauth", Guard(c.SetOAuthAsync));
    }

    // Kestrel listens on 127.0.0.1 only; this is a second lock on the door, should that ever change.
    private static RequestDelegate Guard(RequestDelegate handler) => context =>
        context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
            ? handler(context)
            : ErrorResponses.WriteAsync(context, 403, "Control endpoints answer loopback clients only.");

    private Task GetRequestsAsync(HttpContext context) =>
        WriteJsonAsync(context, state.Log.ToList(), EmulatorJson.Control.ListRequestLogEntry);

    private Task ClearRequests(HttpContext context)
    {
        state.Log.Clear();
        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private async Task InsertRecordsAsync(HttpContext context)
    {
        HttpRequest q = context.Request;
        if (!QueryParameters.TryInt(q, "count", 1, 0, out int count, out string? error)
            || !QueryParameters.TryEpochMs(q, "creationDate", out long? date, out error))
        {
            await ErrorResponses.WriteAsync(context, 400, error!).ConfigureAwait(false);
            return;
        }

        if (count > MaxInsert)
        {
            await ErrorResponses.WriteAsync(context, 400,
                string.Create(CultureInfo.InvariantCulture, $"count must be at most {MaxInsert}.")).ConfigureAwait(false);
            return;
        }

        long creationDate = date ?? state.NowMs();
        StoredRecord[] records = state.Generate(count, creationDate);
        int total = state.Store.Insert(records);
        await WriteJsonAsync(context, new InsertResult(count, total), EmulatorJson.Control.InsertResult).ConfigureAwait(false);
    }

    private Task CountAsync(HttpContext context) =>
        WriteJsonAsync(context, new CountResult(state.Store.Current.Count), EmulatorJson.Control.CountResult);

    private Task GetConfigAsync(HttpContext context) => WriteConfigAsync(context, state.Settings.Current);

    private async Task SetConfigAsync(HttpContext context)
    {
        ControlConfigUpdate? update;
        try
        {
            update = await JsonSerializer.DeserializeAsync(
                context.Request.Body, EmulatorJson.Control.ControlConfigUpdate, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await ErrorResponses.WriteAsync(context, 400, "Invalid config JSON: " + e.Message).ConfigureAwait(false);
            return;
        }

        AnonymousAnswer? anonymous = update?.DcAnonymous switch
        {
            null => null,
            var a when a.Equals("redirect", StringComparison.OrdinalIgnoreCase) => AnonymousAnswer.Redirect,
            var a when a.Equals("html", StringComparison.OrdinalIgnoreCase) => AnonymousAnswer.Html,
            _ => (AnonymousAnswer)(-1),
        };
        if (update is null || update.MaxLimit < 1 || update.LatencyMs < 0
            || update.DcMaxLimit is < 1 or > DataCenterQuery.MaxLimit || update.DcCsvCap < 1 || anonymous == (AnonymousAnswer)(-1))
        {
            await ErrorResponses.WriteAsync(context, 400,
                "Send {\"maxLimit\": >= 1, \"sizeIsTotal\": bool, \"latencyMs\": >= 0, \"dcMaxLimit\": 1..100000, \"dcCsvCap\": >= 1, "
                + "\"dcCursorObject\": bool, \"dcAnonymous\": \"redirect\"|\"html\", \"dcSearchTimeout\": bool, \"dcLegacyPost\": bool, \"clockOffsetMs\": ms} (any subset).").ConfigureAwait(false);
            return;
        }

        SettingsValues now = state.Settings.Update(s => s with
        {
            MaxLimit = update.MaxLimit ?? s.MaxLimit,
            SizeIsTotal = update.SizeIsTotal ?? s.SizeIsTotal,
            LatencyMs = update.LatencyMs ?? s.LatencyMs,
            DcMaxLimit = update.DcMaxLimit ?? s.DcMaxLimit,
            DcCsvCap = update.DcCsvCap ?? s.DcCsvCap,
            DcCursorObject = update.DcCursorObject ?? s.DcCursorObject,
            DcAnonymous = anonymous ?? s.DcAnonymous,
            DcSearchTimeout = update.DcSearchTimeout ?? s.DcSearchTimeout,
            DcLegacyPost = update.DcLegacyPost ?? s.DcLegacyPost,
            ClockOffsetMs = update.ClockOffsetMs ?? s.ClockOffsetMs,
        });
        await WriteConfigAsync(context, now).ConfigureAwait(false);
    }

    private Task ResetAsync(HttpContext context)
    {
        state.Reset();
        return WriteJsonAsync(context, new CountResult(state.Store.Current.Count), EmulatorJson.Control.CountResult);
    }

    private Task GetFaultsAsync(HttpContext context) =>
        WriteJsonAsync(context, state.Faults.Config(), EmulatorJson.Control.FaultConfig);

    /// <summary>Replaces the whole fault configuration (members left out take their defaults), refills the queue
    /// and reseeds the draws. The counters are kept: DELETE /__emulator/stats zeroes them.</summary>
    private async Task SetFaultsAsync(HttpContext context)
    {
        FaultConfigUpdate? update;
        try
        {
            update = await JsonSerializer.DeserializeAsync(
                context.Request.Body, EmulatorJson.Control.FaultConfigUpdate, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await ErrorResponses.WriteAsync(context, 400, "Invalid faults JSON: " + e.Message).ConfigureAwait(false);
            return;
        }

        if (update is null)
        {
            await ErrorResponses.WriteAsync(context, 400, "Send a JSON object; see --help for its members.").ConfigureAwait(false);
            return;
        }

        FaultSettings settings = update.ToSettings();
        if (settings.Validate() is { } error)
        {
            await ErrorResponses.WriteAsync(context, 400, error).ConfigureAwait(false);
            return;
        }

        state.Faults.Set(settings);
        await GetFaultsAsync(context).ConfigureAwait(false);
    }

    private Task ClearFaultsAsync(HttpContext context)
    {
        state.Faults.Set(FaultSettings.None);
        return GetFaultsAsync(context);
    }

    private Task GetStatsAsync(HttpContext context) =>
        WriteJsonAsync(context, state.Faults.Stats(), EmulatorJson.Control.FaultStats);

    private Task ClearStats(HttpContext context)
    {
        state.Faults.ClearStats();
        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private Task GetOAuthAsync(HttpContext context)
    {
        var o = state.OAuth;
        return WriteJsonAsync(context, new OAuthState(o.ClientId, o.CloudId, o.LifetimeSec, o.Revoked, o.Issued, o.Refused, o.Rejected),
            EmulatorJson.Control.OAuthState);
    }

    private async Task SetOAuthAsync(HttpContext context)
    {
        OAuthUpdate? update;
        try
        {
            update = await JsonSerializer.DeserializeAsync(context.Request.Body, EmulatorJson.Control.OAuthUpdate, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await ErrorResponses.WriteAsync(context, 400, "Invalid OAuth JSON: " + e.Message).ConfigureAwait(false);
            return;
        }

        if (update is null || update.TokenLifetimeSec is < 1 or > 86_400)
        {
            await ErrorResponses.WriteAsync(context, 400, "Send {\"tokenLifetimeSec\": 1..86400, \"revoked\": bool, \"expireTokens\": true} (any subset).").ConfigureAwait(false);
            return;
        }

        state.OAuth.LifetimeSec = update.TokenLifetimeSec ?? state.OAuth.LifetimeSec;
        state.OAuth.Revoked = update.Revoked ?? state.OAuth.Revoked;
        if (update.ExpireTokens == true)
        {
            state.OAuth.ExpireAll();
        }
        await GetOAuthAsync(context).ConfigureAwait(false);
    }

    private static Task WriteConfigAsync(HttpContext context, SettingsValues s) =>
        WriteJsonAsync(
            context,
            new ControlConfig(s.MaxLimit, s.SizeIsTotal, s.LatencyMs, s.DcMaxLimit, s.DcCsvCap, s.DcCursorObject,
                s.DcAnonymous == AnonymousAnswer.Html ? "html" : "redirect", s.DcSearchTimeout, s.DcLegacyPost, s.ClockOffsetMs),
            EmulatorJson.Control.ControlConfig);

    private static async Task WriteJsonAsync<T>(HttpContext context, T value, JsonTypeInfo<T> type)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(value, type);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }
}
