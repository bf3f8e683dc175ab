using ConfluenceAudit.Emulator.AuditResource;

namespace ConfluenceAudit.Emulator.Hosting;

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
            if (ReferenceEquals(Interlocked.CompareExchange(ref _current, after, before), before))
            {
                return after;
            }
        }
    }

    public void Reset() => Volatile.Write(ref _current, Defaults);
}
