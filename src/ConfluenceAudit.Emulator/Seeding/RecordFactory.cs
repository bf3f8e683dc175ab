using System.Globalization;
using ConfluenceAudit.Emulator.AuditResource;
using static ConfluenceAudit.Emulator.Seeding.SampleData;

namespace ConfluenceAudit.Emulator.Seeding;

/// <summary>Builds one realistic Cloud audit record from a random stream. The same stream state always
/// gives the same record. Rates of the messy variants are a few percent each.</summary>
internal static class RecordFactory
{
    private static readonly AffectedObject Blank = new();

    public static AuditRecord Create(ref Rng rng, long creationDate)
    {
        Event e = PickEvent(ref rng);
        bool system = e.SystemAuthor || rng.Chance(0.06);
        string description = rng.Chance(0.05) ? rng.Pick(MessyDescriptions) : e.Description;
        return new AuditRecord
        {
            Author = system ? SystemAuthor() : UserAuthor(rng.Pick(Users)),
            RemoteAddress = RemoteAddress(ref rng, system),
            CreationDate = creationDate,
            Summary = e.Summary,
            Description = description,
            Category = e.Category,
            SysAdmin = e.SysAdmin || rng.Chance(0.05),
            SuperAdmin = false,
            AffectedObject = rng.Chance(0.03) ? Blank : e.Affected,
            ChangedValues = e.Changed,
            AssociatedObjects = e.Associated,
        };
    }

    // Cloud's serializer writes the full user shape; username and userKey are gone (privacy migration).
    private static AuditAuthor UserAuthor(SampleUser u) => new()
    {
        DisplayName = u.DisplayName,
        Operations = null,
        AccountId = u.AccountId,
        AccountType = "atlassian",
        ExternalCollaborator = false,
        IsExternalCollaborator = false,
        IsGuest = false,
        PublicName = u.PublicName,
    };

    private static AuditAuthor SystemAuthor() => new() { DisplayName = "System", Operations = null };

    private static string RemoteAddress(ref Rng rng, bool system)
    {
        double p = rng.NextDouble();
        if (p < (system ? 0.25 : 0.02))
        {
            return "";
        }

        if (p < (system ? 0.3 : 0.07))
        {
            return rng.Pick(Ipv6);
        }

        return rng.Below(3) switch
        {
            0 => $"10.{rng.Below(256)}.{rng.Below(256)}.{1 + rng.Below(254)}",
            1 => $"203.0.113.{1 + rng.Below(254)}",
            _ => $"198.51.100.{1 + rng.Below(254)}",
        };
    }

    private sealed record Event(
        string Category,
        string Summary,
        AffectedObject Affected,
        string Description = "",
        IReadOnlyList<ChangedValue>? ChangedValues = null,
        IReadOnlyList<AffectedObject>? AssociatedObjects = null,
        bool SysAdmin = false,
        bool SystemAuthor = false)
    {
        public IReadOnlyList<ChangedValue> Changed => ChangedValues ?? [];

        public IReadOnlyList<AffectedObject> Associated => AssociatedObjects ?? [];
    }

    private static AffectedObject Obj(string name, string type) => new() { Name = name, ObjectType = type };

    private static ChangedValue Change(string name, string oldValue, string newValue) =>
        new() { Name = name, OldValue = oldValue, NewValue = newValue };

    private static Event PickEvent(ref Rng rng)
    {
        var (key, spaceName) = rng.Pick(Spaces);
        string group = rng.Pick(Groups);
        SampleUser user = rng.Pick(Users);
        string page = rng.Pick(Pages);
        string app = rng.Pick(Apps);
        string perm = rng.Pick(SpacePermissions);
        AffectedObject space = Obj(key, "Space");
        AffectedObject userObj = Obj(user.Handle, "User");
        AffectedObject groupObj = Obj(group, "Group");
        int version = 1 + rng.Below(9);

        // Weighted towards what a real site logs most: permissions, group membership, content.
        return rng.Below(30) switch
        {
            0 or 1 or 2 => new("Permissions", "Space permission added", space,
                $"Permission '{perm}' granted to group {group} in space {spaceName}",
                [Change("Permission", "", perm), Change("Group", "", group)], [groupObj]),
            3 or 4 => new("Permissions", "Space permission removed", space,
                $"Permission '{perm}' revoked from group {group}",
                [Change("Permission", perm, ""), Change("Group", group, "")], [groupObj]),
            5 => new("Permissions", "Global permission added", groupObj, "",
                [Change("Global permission", "", rng.Pick(GlobalPermissions))], SysAdmin: true),
            6 => new("Permissions", "Page restrictions changed", Obj(page, "Page"), "",
                [Change("View restriction", "", user.DisplayName)], [space, userObj]),
            7 or 8 or 9 => new("Users and groups", "User added to group", userObj, "",
                [Change("Group", "", group)], [groupObj]),
            10 or 11 => new("Users and groups", "User removed from group", userObj, "",
                [Change("Group", group, "")], [groupObj]),
            12 => new("Users and groups", "User created", userObj, "",
                [Change("Email", "", user.Handle + "@example.com"), Change("Full name", "", user.DisplayName)],
                SysAdmin: true),
            13 => new("Users and groups", "User deactivated", userObj, $"{user.DisplayName} was deactivated",
                [Change("Active", "true", "false")]),
            14 => new("Users and groups", "Group created", groupObj, "", SysAdmin: true),
            15 => new("Space", "Space created", space, "",
                [Change("Name", "", spaceName), Change("Key", "", key)]),
            16 => new("Space", "Space deleted", space, $"Space '{spaceName}' was deleted", SysAdmin: true),
            17 or 18 => new("Space", "Space exported", space, "",
                [Change("Export type", "", rng.Below(2) == 0 ? "PDF" : "HTML")]),
            19 or 20 or 21 => new("Content", "Page deleted", Obj(page, "Page"), $"Page moved to the trash of {key}",
                AssociatedObjects: [space]),
            22 => new("Content", "Page restored from trash", Obj(page, "Page"), "", AssociatedObjects: [space]),
            23 => new("Content", "Blog post deleted", Obj(rng.Pick(BlogPosts), "Blog post"), "",
                AssociatedObjects: [space]),
            24 => new("Security", "Login failed", userObj, rng.Pick(LoginFailures), SystemAuthor: true),
            25 => new("Security", "API token created", userObj, "",
                [new ChangedValue { Name = "Token", HiddenOldValue = "", HiddenNewValue = "********" },
                 Change("Token label", "", "CI pipeline")]),
            26 => new("Global configuration", "Site title changed", Obj("Confluence", "Site"), "",
                [Change("Site title", "Acme Wiki", "Acme, Inc. Wiki")], SysAdmin: true),
            27 => new("Global configuration", "Global setting changed", Obj("Default time zone", "Setting"), "",
                [Change("Default time zone", rng.Pick(Timezones), rng.Pick(Timezones))], SysAdmin: true),
            28 => rng.Below(3) switch
            {
                0 => new("Apps", "App installed", Obj(app, "App"), "",
                    [Change("Version", "", $"{version}.{rng.Below(10)}.0")]),
                1 => new("Apps", "App uninstalled", Obj(app, "App"), ""),
                _ => new("Apps", "App updated", Obj(app, "App"), "",
                    [Change("Version", $"{version}.0.0", $"{version}.1.0")], SystemAuthor: true),
            },
            _ => rng.Below(2) == 0
                ? new("Auditing", "Audit log retention changed", Obj("Audit log", "Audit log"), "",
                    [Change("Retention period", "3 MONTHS", (6 + rng.Below(7)).ToString(CultureInfo.InvariantCulture) + " MONTHS")],
                    SysAdmin: true)
                : new("Auditing", "Audit log exported", Obj("Audit log", "Audit log"), "Exported as CSV"),
        };
    }
}
