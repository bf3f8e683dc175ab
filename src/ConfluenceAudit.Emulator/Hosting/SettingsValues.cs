using ConfluenceAudit.Emulator.AuditResource;
using ConfluenceAudit.Emulator.DataCenter;

namespace ConfluenceAudit.Emulator.Hosting;

/// <summary>The settings tests may change while the emulator runs, as one immutable value. The Dc* members are
/// read in Data Center mode only.</summary>
internal sealed record SettingsValues(int MaxLimit, bool SizeIsTotal, int LatencyMs, RetentionPeriod Retention)
{
    /// <summary>Server cap on the events' limit (at most 100000).</summary>
    public int DcMaxLimit { get; init; } = DataCenterQuery.MaxLimit;

    /// <summary>Most CSV rows per response.</summary>
    public int DcCsvCap { get; init; } = 1000;

    public bool DcCursorObject { get; init; }

    public AnonymousAnswer DcAnonymous { get; init; } = AnonymousAnswer.Redirect;

    public bool DcSearchTimeout { get; init; }

    public bool DcLegacyPost { get; init; }

    /// <summary>How far the server's clock runs ahead of this machine's (negative: behind), in ms: the time it stamps
    /// on the events it records itself (reads of the log, arrivals, records created or inserted without a date).</summary>
    public long ClockOffsetMs { get; init; }

    /// <summary>The auditing framework's retention (its own setting, apart from the legacy resource's).</summary>
    public DataCenterPeriod DcRetention { get; init; } = new(0, 3, 0);
}
