namespace ConfluenceAudit.Emulator;

/// <summary>Which product's audit API is emulated: Confluence Cloud (/wiki/rest/api/audit), or Confluence Data
/// Center / Server (a context path, the auditing framework's /rest/auditing/1.0/... and the legacy
/// /rest/api/audit without /wiki), both over the same store, seeder and request log.</summary>
internal enum EmulatorMode
{
    Cloud,
    DataCenter,
}

/// <summary>How Data Center answers a request it treats as anonymous (no credentials, or a Bearer token nobody
/// issued: CONFSERVER-98199).</summary>
internal enum AnonymousAnswer
{
    /// <summary>302 to {context}/login.action?os_destination=...</summary>
    Redirect,

    /// <summary>200 with an HTML login page.</summary>
    Html,
}

/// <summary>The command line, parsed. Immutable: run-time changes go through <see cref="RuntimeSettings"/>.</summary>
internal sealed record EmulatorOptions
{
    public EmulatorMode Mode { get; init; } = EmulatorMode.Cloud;
    public int Port { get; init; }
    public int Records { get; init; } = 1000;
    public long Seed { get; init; } = 1;
    public int SpanDays { get; init; } = 90;
    public int MaxLimit { get; init; } = 1000;
    public int LatencyMs { get; init; }
    public bool SizeIsTotal { get; init; }
    public string AdminEmail { get; init; } = "admin@example.com";
    public string AdminApiToken { get; init; } = "emulator-admin-token";
    public string AdminPat { get; init; } = "emulator-admin-pat";
    public string UserEmail { get; init; } = "user@example.com";
    public string UserApiToken { get; init; } = "emulator-user-token";
    public string UserPat { get; init; } = "emulator-user-pat";
    public int RetentionNumber { get; init; } = 3;
    public string RetentionUnits { get; init; } = "MONTHS";
    public bool Quiet { get; init; }
    public bool ExitOnStdinClose { get; init; }

    /// <summary>Serve HTTPS with a self-signed certificate made at start (in memory only), instead of HTTP.</summary>
    public bool Https { get; init; }

    /// <summary>The server's clock runs this many ms ahead of this machine's (negative: behind).</summary>
    public long ClockOffsetMs { get; init; }

    /// <summary>Faults injected into API requests from the start (--failure-rate, --fault-queue, ...); none by default.</summary>
    public FaultSettings Faults { get; init; } = FaultSettings.None;

    /// <summary>The instant the seeded dates count back from. Null means "now at start"; a fixed value
    /// makes two runs with the same seed produce byte-identical records.</summary>
    public long? AnchorEpochMs { get; init; }

    /// <summary>The Data Center settings (used with --deployment datacenter only).</summary>
    public DataCenterOptions DataCenter { get; init; } = new();

    /// <summary>The path the API lives under: /wiki on Cloud, the context path on Data Center ("" for the root).</summary>
    public string ContextPath => Mode == EmulatorMode.Cloud ? "/wiki" : DataCenter.ContextPath;
}

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
