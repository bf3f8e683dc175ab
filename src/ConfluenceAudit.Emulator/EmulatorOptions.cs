namespace ConfluenceAudit.Emulator;

/// <summary>Which product's audit API is emulated. Only Cloud exists today; a Data Center mode would
/// map its own endpoints (/rest/api/audit without /wiki, /rest/auditing/1.0/events) over the same
/// store, seeder and request log.</summary>
internal enum EmulatorMode
{
    Cloud,
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

    /// <summary>Faults injected into API requests from the start (--failure-rate, --fault-queue, ...); none by default.</summary>
    public FaultSettings Faults { get; init; } = FaultSettings.None;

    /// <summary>The instant the seeded dates count back from. Null means "now at start"; a fixed value
    /// makes two runs with the same seed produce byte-identical records.</summary>
    public long? AnchorEpochMs { get; init; }
}
