namespace ConfluenceAudit.Emulator;

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

/// <summary>Holds the current <see cref="SettingsValues"/>; replaced whole, so a request never sees half
/// of an update.</summary>
internal sealed class RuntimeSettings(SettingsValues defaults)
{
    private SettingsValues _current = defaults;

    public SettingsValues Defaults { get; } = defaults;

    public SettingsValues Current => Volatile.Read(ref _current);

    public static RuntimeSettings From(EmulatorOptions o) => new(new SettingsValues(
        o.MaxLimit, o.SizeIsTotal, o.LatencyMs, new RetentionPeriod(o.RetentionNumber, o.RetentionUnits))
    {
        DcMaxLimit = o.DataCenter.MaxLimit,
        DcCsvCap = o.DataCenter.CsvCap,
        DcCursorObject = o.DataCenter.CursorObject,
        DcAnonymous = o.DataCenter.Anonymous,
        DcSearchTimeout = o.DataCenter.SearchTimeout,
        DcLegacyPost = o.DataCenter.LegacyPostAllowed,
        DcRetention = o.DataCenter.Retention,
        ClockOffsetMs = o.ClockOffsetMs,
    });

    public SettingsValues Update(Func<SettingsValues, SettingsValues> change)
    {
        while (true)
        {
            SettingsValues before = Current;
            SettingsValues after = change(before);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _current, after, before), before)) return after;
        }
    }

    public void Reset() => Volatile.Write(ref _current, Defaults);
}
