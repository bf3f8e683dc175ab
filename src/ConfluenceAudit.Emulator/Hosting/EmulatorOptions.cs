using ConfluenceAudit.Emulator.Faults;

namespace ConfluenceAudit.Emulator.Hosting;

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
    /// <summary>The service account's OAuth 2.0 client id and secret, the lifetime of the tokens they buy, and the site's cloud id.</summary>
    public string ClientId { get; init; } = "emulator-client-id";
    public string ClientSecret { get; init; } = "emulator-client-secret";
    public int TokenLifetimeSec { get; init; } = 3600;
    public string CloudId { get; init; } = "0b5e8c1a-7d3f-4e2b-9a6c-1f8d2e4b6a90";
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
