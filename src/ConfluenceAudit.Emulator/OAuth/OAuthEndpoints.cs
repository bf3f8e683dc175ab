using System.Buffers;
using System.Text;
using System.Text.Json;
using ConfluenceAudit.Emulator.Http;

namespace ConfluenceAudit.Emulator.OAuth;

/// <summary>
/// What a service account meets: the OAuth 2.0 token endpoint (grant_type=client_credentials, the form or JSON body
/// Atlassian's accepts), Cloud's unauthenticated /_edge/tenant_info, and the API gateway's check of access tokens
/// (401 {"code":401,"message":"Unauthorized"} for one that is unknown or lapsed).
/// </summary>
internal static class OAuthEndpoints
{
    /// <summary>Where Cloud mode serves Atlassian's token endpoint (https://auth.atlassian.com/oauth/token).</summary>
    public const string CloudTokenPath = "/oauth/token";

    /// <summary>Data Center's, under the context path.</summary>
    public const string DataCenterTokenPath = "/rest/oauth2/latest/token";

    public const string TenantInfoPath = "/_edge/tenant_info";

    /// <summary>The gateway's path for the emulated site: /ex/confluence/{cloudId}; the site's /wiki follows it.</summary>
    public static string GatewayPath(string cloudId) => "/ex/confluence/" + cloudId;

    public static void MapCloud(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapPost(CloudTokenPath, context => IssueAsync(context, state, dataCenter: false));
        app.MapGet(TenantInfoPath, context => WriteJsonAsync(context, 200, w => w.WriteString("cloudId", state.OAuth.CloudId)));
    }

    public static void MapDataCenter(IEndpointRouteBuilder app, EmulatorState state) =>
        app.MapPost(state.Options.ContextPath + DataCenterTokenPath, context => IssueAsync(context, state, dataCenter: true));

    /// <summary>The gateway's check: true when the request carries a valid access token; else 401 is written.</summary>
    public static async Task<bool> AuthorizeGatewayAsync(HttpContext context, EmulatorState state)
    {
        if (state.OAuth.IsValid(context.Request.Headers.Authorization.ToString()))
        {
            return true;
        }

        state.OAuth.CountRejected();
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await WriteJsonAsync(context, 401, w =>
        {
            w.WriteNumber("code", 401);
            w.WriteString("message", "Unauthorized");
        }).ConfigureAwait(false);
        return false;
    }

    /// <summary>The token request's fields, with the secret replaced: what the request log may keep.</summary>
    public static string Redact(string body) =>
        body.TrimStart().StartsWith('{')
            ? "(JSON body, not logged)"
            : string.Join('&', body.Split('&').Select(pair => pair.StartsWith("client_secret=", StringComparison.Ordinal) ? "client_secret=REDACTED" : pair));

    private static async Task IssueAsync(HttpContext context, EmulatorState state, bool dataCenter)
    {
        Dictionary<string, string> fields = ReadFields(context);
        fields.TryGetValue("grant_type", out string? grant);
        if (grant != "client_credentials")
        {
            await WriteErrorAsync(context, 400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.").ConfigureAwait(false);
            return;
        }

        fields.TryGetValue("client_id", out string? id);
        fields.TryGetValue("client_secret", out string? secret);
        if (!state.OAuth.Accepts(id, secret))
        {
            // Atlassian answers a wrong or revoked secret with 401 access_denied; Data Center's OAuth server with invalid_client.
            await (dataCenter
                ? WriteErrorAsync(context, 401, "invalid_client", "Client authentication failed.")
                : WriteErrorAsync(context, 401, "access_denied", "Unauthorized")).ConfigureAwait(false);
            return;
        }

        string scope = fields.TryGetValue("scope", out string? asked) ? asked : "read:audit-log:confluence write:audit-log:confluence";
        string? unknown = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(s => s is not ("read:audit-log:confluence" or "write:audit-log:confluence"));
        if (unknown is not null)
        {
            await WriteErrorAsync(context, 400, "invalid_scope", $"The scope '{unknown}' was not granted to this credential.").ConfigureAwait(false);
            return;
        }

        (string token, int lifetime) = state.OAuth.Issue();
        await WriteJsonAsync(context, 200, w =>
        {
            w.WriteString("access_token", token);
            w.WriteString("token_type", "Bearer");
            w.WriteNumber("expires_in", lifetime);
            w.WriteString("scope", scope);
        }).ConfigureAwait(false);
    }

    private static Dictionary<string, string> ReadFields(HttpContext context)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string body = context.Items[RequestLogMiddleware.BodyKey] is byte[] bytes ? Encoding.UTF8.GetString(bytes) : "";
        if (body.TrimStart().StartsWith('{'))
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(body);
                foreach (JsonProperty property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String)
                    {
                        fields[property.Name] = property.Value.GetString()!;
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: no fields, so the grant is unsupported.
            }

            return fields;
        }

        foreach (string pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            string value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            fields[key] = value;
        }

        return fields;
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string error, string description) =>
        WriteJsonAsync(context, status, w =>
        {
            w.WriteString("error", error);
            w.WriteString("error_description", description);
        });

    private static Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, EmulatorJson.WriterOptions))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = buffer.WrittenCount;
        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }
}
