namespace ConfluenceAudit.Emulator.Seeding;

/// <summary>A person who appears as an author or as an affected user.</summary>
internal sealed record SampleUser(string DisplayName, string PublicName, string AccountId, string Handle);

/// <summary>The pools the generated records draw from. Some entries are messy on purpose: commas,
/// double quotes and non-ASCII in names, titles with emoji, IPv6 addresses.</summary>
internal static class SampleData
{
    public static readonly SampleUser[] Users =
    [
        new("Ada Lovelace", "ada", "5b10ac8d82e05b22cc7d4ef5", "alovelace"),
        new("Grace Hopper", "grace", "5b10a2844c20165700ede21f", "ghopper"),
        new("Alan Turing", "alan", "5c4f1e2d3b4a596877665544", "aturing"),
        new("Zoë Müller", "zoë", "5d7e8f9a0b1c2d3e4f5a6b7c", "zoe.muller"),
        new("José Álvarez", "José", "5e0a1b2c3d4e5f60718293a4", "jalvarez"),
        new("Øyvind Sørensen", "øyvind", "5f1b2c3d4e5f60718293a4b5", "osorensen"),
        new("Łukasz Wójcik", "łukasz", "60a2b3c4d5e6f708192a3b4c", "lwojcik"),
        new("田中 愛子", "aiko", "612233445566778899aabbcc", "atanaka"),
        new("Priya Natarajan", "priya", "5b2c3d4e5f60718293a4b5c6", "pnatarajan"),
        new("Oluwaseun Adeyemi", "seun", "5c3d4e5f60718293a4b5c6d7", "oadeyemi"),
        new("Chloé Dubois", "chloé", "5d4e5f60718293a4b5c6d7e8", "cdubois"),
        new("Mikael O'Connor", "mikael", "5e5f60718293a4b5c6d7e8f9", "moconnor"),
        new("Dana \"DJ\" Jones", "DJ", "5f60718293a4b5c6d7e8f90a", "djones"),
        new("Smith, John", "john", "712020:4f6c2b3a-9d1e-4c8b-a7f2-1e3d5c7b9a0f", "jsmith"),
        new("John Doe", "jdoe", "5a0b1c2d3e4f5061728394a5", "jdoe"),
        new("Mei Chen", "mei", "5a1b2c3d4e5f60718293a4b6", "mchen"),
        new("Rahul Gupta", "rahul", "5a2b3c4d5e6f708192a3b4c7", "rgupta"),
        new("Sofia Rossi", "sofia", "5a3b4c5d6e7f8091a2b3c4d8", "srossi"),
        new("Lars Andersen", "lars", "5a4b5c6d7e8f90a1b2c3d4e9", "landersen"),
        new("Fatima Zahra 🌟", "fatima", "712020:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "fzahra"),
    ];

    public static readonly (string Key, string Name)[] Spaces =
    [
        ("ENG", "Engineering"), ("OPS", "Operations"), ("HR", "Human Resources"), ("MKT", "Marketing"),
        ("SALES", "Sales, EMEA"), ("DOCS", "Product documentation"), ("SEC", "Security"),
        ("TOKYO", "東京チーム"), ("CAFE", "Café \"Zürich\" team"), ("ARCH", "Architecture"),
    ];

    public static readonly string[] Groups =
    [
        "confluence-users", "confluence-administrators", "site-admins", "engineering", "東京チーム",
        "contractors", "marketing, emea", "release-managers",
    ];

    public static readonly string[] Pages =
    [
        "Q3 planning", "Onboarding checklist", "Release 🚀 notes", "Incident review, 2024-05-01",
        "Meeting notes \"draft\"", "Café menu ☕", "Architecture overview", "Runbook: database failover",
        "Roadmap 2026", "Retrospective – sprint 42", "Zoë's notes", "API design guidelines",
    ];

    public static readonly string[] BlogPosts =
    [
        "Welcome to the new wiki", "Hackathon results 🎉", "Quarterly update, Q2", "Security reminder",
    ];

    public static readonly string[] Apps =
    [
        "draw.io Diagrams", "Gliffy Diagrams for Confluence", "Scroll PDF Exporter", "Team Calendars",
        "Table Filter, Charts & Spreadsheets",
    ];

    public static readonly string[] SpacePermissions =
    [
        "View", "Add page", "Delete page", "Add blog", "Export space", "Admin", "Add comment", "Restrict",
    ];

    public static readonly string[] GlobalPermissions =
    [
        "Can use", "Create space", "Personal space", "Confluence Administrator", "Attachment upload",
    ];

    public static readonly string[] Timezones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"];

    public static readonly string[] Ipv6 =
    [
        "2001:db8:85a3::8a2e:370:7334", "2001:db8::1f", "fe80::1ff:fe23:4567:890a", "2001:db8:0:1::a",
    ];

    public static readonly string[] LoginFailures =
    [
        "Incorrect password", "Account locked after 5 failed attempts", "Two-step verification code rejected",
    ];

    /// <summary>Descriptions that stress CSV and JSON writers: commas, quotes, LF, CRLF, emoji.</summary>
    public static readonly string[] MessyDescriptions =
    [
        "Changed by \"admin\" via the admin console, see ticket OPS-1234",
        "Line one, with a comma\nLine two",
        "First line\r\nSecond line with \"quotes\", and a comma",
        "Deployed 🚀 release 2.4 — Zoë Müller approved",
        "Tab\tseparated, \"quoted\" and\nmulti-line\r\ntext",
        "東京チーム の設定を変更しました",
    ];
}
