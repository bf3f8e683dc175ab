using System.Net;
using ConfluenceAudit.Emulator.AuditResource;
using ConfluenceAudit.Emulator.Hosting;
using ConfluenceAudit.Emulator.Http;

namespace ConfluenceAudit.Emulator.DataCenter;

/// <summary>
/// Data Center's sign-in as the emulator plays it: a personal access token as Bearer, or Basic with user name and
/// password. Basic with a wrong password is a 401. No credentials at all, or a Bearer token nobody issued, make the
/// request anonymous (CONFSERVER-98199): it is answered as a browser would be, with a 302 to the login page or
/// (--dc-anonymous html) a 200 HTML login page, never with a 401.
/// </summary>
internal static class DataCenterAuth
{
    public const string XsrfHeader = "X-Atlassian-Token";
    public const string XsrfFailed = "XSRF check failed";

    /// <summary>Admin or NotAdmin when the request may go on; null when an answer was written.</summary>
    public static async Task<AuthOutcome?> AuthenticateAsync(HttpContext context, EmulatorState state)
    {
        string authorization = context.Request.Headers.Authorization.ToString();

        // A service account's access token (rest/oauth2/latest/token) acts for the administrator; a lapsed one is a
        // Bearer token nobody issued, and the request is anonymous.
        AuthOutcome outcome = state.OAuth.IsValid(authorization) ? AuthOutcome.Admin : Authentication.CheckDataCenter(authorization, state.Accounts);
        switch (outcome)
        {
            case AuthOutcome.Admin or AuthOutcome.NotAdmin:
                return outcome;
            case AuthOutcome.BadBasic:
                context.Response.Headers["X-Seraph-LoginReason"] = "AUTHENTICATED_FAILED";
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"Confluence\"";
                await ErrorResponses.WriteAsync(context, 401, "Basic authentication failed: wrong user name or password.").ConfigureAwait(false);
                return null;
            default:
                await WriteAnonymousAsync(context, state).ConfigureAwait(false);
                return null;
        }
    }

    /// <summary>For the legacy resource: an administrator goes on; anyone else gets the answer Data Center gives.</summary>
    public static async Task<bool> AuthorizeLegacyAsync(HttpContext context, EmulatorState state)
    {
        AuthOutcome? outcome = await AuthenticateAsync(context, state).ConfigureAwait(false);
        if (outcome is null)
        {
            return false;
        }

        if (outcome == AuthOutcome.Admin)
        {
            return true;
        }

        await ErrorResponses.WriteAsync(context, 403, ErrorResponses.NotAdministrator).ConfigureAwait(false);
        return false;
    }

    /// <summary>Requests that change something need "X-Atlassian-Token: no-check"; without it 403 and a plain-text
    /// "XSRF check failed", as Atlassian's REST plugin answers.</summary>
    public static async Task<bool> CheckXsrfAsync(HttpContext context)
    {
        string value = context.Request.Headers[XsrfHeader].ToString();
        if (string.Equals(value.Trim(), "no-check", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        context.Response.StatusCode = 403;
        context.Response.ContentType = "text/plain;charset=UTF-8";
        await context.Response.WriteAsync(XsrfFailed, context.RequestAborted).ConfigureAwait(false);
        return false;
    }

    /// <summary>What an anonymous request gets: a redirect to the login page on this server (so a client that
    /// follows it shows up in the request log), or the login page itself.</summary>
    public static Task WriteAnonymousAsync(HttpContext context, EmulatorState state)
    {
        string contextPath = state.Options.ContextPath;
        if (state.Settings.Current.DcAnonymous == AnonymousAnswer.Redirect)
        {
            string path = context.Request.Path.Value ?? "/";
            string destination = (path.StartsWith(contextPath, StringComparison.Ordinal) ? path[contextPath.Length..] : path)
                + context.Request.QueryString;
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = PageWriter.Origin(context) + contextPath + "/login.action?os_destination="
                + Uri.EscapeDataString(destination) + "&permissionViolation=true";
            context.Response.ContentType = "text/html;charset=UTF-8";
            return context.Response.WriteAsync("<html><body>Redirecting to the login page.</body></html>", context.RequestAborted);
        }

        return WriteLoginPageAsync(context, state);
    }

    /// <summary>GET {context}/login.action, and the anonymous answer with --dc-anonymous html.</summary>
    public static Task WriteLoginPageAsync(HttpContext context, EmulatorState state)
    {
        string contextPath = WebUtility.HtmlEncode(state.Options.ContextPath);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/html;charset=UTF-8";
        context.Response.Headers["X-Confluence-Request-Time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return context.Response.WriteAsync(
            "<!DOCTYPE html><html><head><title>Log In - Confluence</title></head><body>"
            + $"<form id=\"loginform\" method=\"post\" action=\"{contextPath}/dologin.action\">"
            + "<input name=\"os_username\" type=\"text\"><input name=\"os_password\" type=\"password\">"
            + "<input type=\"submit\" value=\"Log in\"></form></body></html>",
            context.RequestAborted);
    }
}
