using ConfluenceAudit.Emulator.Hosting;

namespace ConfluenceAudit.Emulator.Http;

/// <summary>The accounts the emulator knows: one administrator, one ordinary user. On Cloud they sign in with
/// email and API token; on Data Center with user name and password. Both take their personal access token as Bearer.</summary>
internal sealed record Accounts(
    string AdminEmail, string AdminApiToken, string AdminPat,
    string UserEmail, string UserApiToken, string UserPat)
{
    public string AdminUsername { get; init; } = "admin";
    public string AdminPassword { get; init; } = "";
    public string UserUsername { get; init; } = "user";
    public string UserPassword { get; init; } = "";

    public static Accounts From(EmulatorOptions o) =>
        new(o.AdminEmail, o.AdminApiToken, o.AdminPat, o.UserEmail, o.UserApiToken, o.UserPat)
        {
            AdminUsername = o.DataCenter.AdminUsername,
            AdminPassword = o.DataCenter.AdminPassword,
            UserUsername = o.DataCenter.UserUsername,
            UserPassword = o.DataCenter.UserPassword,
        };
}
