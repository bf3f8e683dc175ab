using ConfluenceAudit.Emulator.DataCenter;

namespace ConfluenceAudit.Emulator.Hosting;

/// <summary>What only the Data Center mode reads.</summary>
internal sealed record DataCenterOptions
{
    /// <summary>The context path, "/confluence" by default; "" when Confluence runs at the root.</summary>
    public string ContextPath { get; init; } = "/confluence";

    /// <summary>Confluence's version: before 7.5 there is no auditing framework, only the legacy resource.</summary>
    public Version Version { get; init; } = new(9, 2);

    /// <summary>Whether the legacy POST /rest/api/audit creates records; null: only before 9.0 (the 9.x reference
    /// lists only GET).</summary>
    public bool? LegacyPost { get; init; }

    /// <summary>The base URL the server was configured with, from which it builds nextPageLink, the events' "system"
    /// and every uri: a different host from the one the client talks to, as behind a proxy.</summary>
    public string CanonicalBaseUrl { get; init; } = "https://wiki.example.com/confluence";

    /// <summary>The server's language for category and action names ("en" or "de"); the i18n keys never change.</summary>
    public string Language { get; init; } = "en";

    /// <summary>A server cap on the events' limit below the documented 100000.</summary>
    public int MaxLimit { get; init; } = DataCenterQuery.MaxLimit;

    /// <summary>Most CSV rows one response holds, whatever was asked.</summary>
    public int CsvCap { get; init; } = 1000;

    /// <summary>nextPageCursor as {"cursor":"..."} instead of a plain string.</summary>
    public bool CursorObject { get; init; }

    public AnonymousAnswer Anonymous { get; init; } = AnonymousAnswer.Redirect;

    /// <summary>Every request with a 'search' fails with 500 and a plain-text body, as a search that times out.</summary>
    public bool SearchTimeout { get; init; }

    /// <summary>A Server licence (not Data Center): the 'categories' and 'actions' filters answer 400.</summary>
    public bool ServerLicence { get; init; }

    public string AdminUsername { get; init; } = "admin";
    public string AdminPassword { get; init; } = "emulator-admin-password";
    public string UserUsername { get; init; } = "user";
    public string UserPassword { get; init; } = "emulator-user-password";

    /// <summary>The framework's retention at start (years, months, days).</summary>
    public DataCenterPeriod Retention { get; init; } = new(0, 3, 0);

    public bool HasFramework => Version >= new Version(7, 5);

    public bool LegacyPostAllowed => LegacyPost ?? Version < new Version(9, 0);
}
