using System.Security.Cryptography;
using System.Text;

namespace ConfluenceAudit.Emulator.Http;

/// <summary>Checks Cloud-style credentials: Basic email:api_token against the site, or a Bearer token.</summary>
internal static class Authentication
{
    /// <summary>The scheme name for the request log: "Basic", "Bearer", "Other" or null. Never any part
    /// of the credential; an unknown scheme's first word could itself be a token, so it is not echoed.</summary>
    public static string? SchemeOf(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return null;
        }

        if (HasScheme(authorization, "Basic"))
        {
            return "Basic";
        }

        if (HasScheme(authorization, "Bearer"))
        {
            return "Bearer";
        }

        return "Other";
    }

    public static AuthOutcome Check(string? authorization, Accounts accounts) =>
        Check(authorization, accounts, dataCenter: false);

    /// <summary>As <see cref="Check(string?, Accounts)"/>, but Basic takes Data Center's user name and password
    /// (user names compare case-insensitively, as Confluence lower-cases them).</summary>
    public static AuthOutcome CheckDataCenter(string? authorization, Accounts accounts) =>
        Check(authorization, accounts, dataCenter: true);

    private static AuthOutcome Check(string? authorization, Accounts accounts, bool dataCenter)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return AuthOutcome.Missing;
        }

        if (HasScheme(authorization, "Bearer"))
        {
            string token = authorization[7..].Trim();
            if (SecretEquals(token, accounts.AdminPat))
            {
                return AuthOutcome.Admin;
            }

            if (SecretEquals(token, accounts.UserPat))
            {
                return AuthOutcome.NotAdmin;
            }

            return AuthOutcome.BadBearer;
        }

        if (!HasScheme(authorization, "Basic"))
        {
            return AuthOutcome.Missing;
        }

        string? decoded = DecodeBasic(authorization[6..].Trim());
        int colon = decoded?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (decoded is null || colon < 0)
        {
            return AuthOutcome.BadBasic;
        }

        string name = decoded[..colon];
        string secret = decoded[(colon + 1)..];
        (string adminName, string adminSecret, string userName, string userSecret) = dataCenter
            ? (accounts.AdminUsername, accounts.AdminPassword, accounts.UserUsername, accounts.UserPassword)
            : (accounts.AdminEmail, accounts.AdminApiToken, accounts.UserEmail, accounts.UserApiToken);

        // Emails and user names compare case-insensitively, as Atlassian accounts do; secrets are exact.
        if (string.Equals(name, adminName, StringComparison.OrdinalIgnoreCase) && SecretEquals(secret, adminSecret))
        {
            return AuthOutcome.Admin;
        }

        if (string.Equals(name, userName, StringComparison.OrdinalIgnoreCase) && SecretEquals(secret, userSecret))
        {
            return AuthOutcome.NotAdmin;
        }

        return AuthOutcome.BadBasic;
    }

    private static bool HasScheme(string authorization, string scheme) =>
        authorization.Length > scheme.Length
        && authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
        && authorization[scheme.Length] == ' ';

    private static string? DecodeBasic(string base64)
    {
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out int written))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    // Constant-time so the emulator does not teach anyone a timing side channel by example.
    private static bool SecretEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
