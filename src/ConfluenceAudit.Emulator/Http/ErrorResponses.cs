using System.Buffers;
using System.Text.Json;

namespace ConfluenceAudit.Emulator.Http;

/// <summary>Confluence's error body: <c>{"statusCode":N,"data":{"authorized":..,"valid":..,"errors":[],
/// "successful":false},"message":".."}</c>, served as application/json.</summary>
internal static class ErrorResponses
{
    public const string PasswordsDeprecated =
        "Basic authentication with passwords is deprecated. For more information, see: "
        + "https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/";

    public const string NotAdministrator =
        "Could not access the audit log: the 'Confluence Administrator' global permission is required.";

    public static Task WriteAsync(HttpContext context, int statusCode, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, EmulatorJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("statusCode", statusCode);
            w.WriteStartObject("data");

            // Confluence reports "authorized" false for 401/403 and "valid" false for bad input.
            w.WriteBoolean("authorized", statusCode is not (401 or 403));
            w.WriteBoolean("valid", statusCode is not (400 or 415));
            w.WriteStartArray("errors");
            w.WriteEndArray();
            w.WriteBoolean("successful", false);
            w.WriteEndObject();
            w.WriteString("message", message);
            w.WriteEndObject();
        }

        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.ContentLength = buffer.WrittenCount;
        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }

    /// <summary>401 or 403 for anything but an administrator; true when the request may go on.</summary>
    public static async Task<bool> AuthorizeAdminAsync(HttpContext context, Accounts accounts)
    {
        AuthOutcome outcome = Authentication.Check(context.Request.Headers.Authorization.ToString(), accounts);
        switch (outcome)
        {
            case AuthOutcome.Admin:
                return true;
            case AuthOutcome.NotAdmin:
                await WriteAsync(context, 403, NotAdministrator).ConfigureAwait(false);
                return false;
            case AuthOutcome.BadBasic:
                await WriteAsync(context, 401, PasswordsDeprecated).ConfigureAwait(false);
                return false;
            case AuthOutcome.BadBearer:
                await WriteAsync(context, 401, "Unauthorized: the access token is not valid.").ConfigureAwait(false);
                return false;
            default:
                await WriteAsync(context, 401,
                    "Authentication required: send Basic email:api_token or a Bearer token.").ConfigureAwait(false);
                return false;
        }
    }
}
