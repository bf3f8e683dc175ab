using System;

namespace ConfluenceAudit.Serialization;

/// <summary>
/// The audit API speaks epoch milliseconds. A DateTime of kind Unspecified (as [datetime]'2026-01-01'
/// gives) is read as local time, as PowerShell itself treats it.
/// </summary>
internal static class EpochTime
{
    public static long ToEpochMilliseconds(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Local).ToUniversalTime();
        return new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    public static long ToEpochMilliseconds(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset ToDateTimeOffset(long epochMilliseconds)
    {
        // Clamp what DateTimeOffset cannot hold instead of failing a whole listing over one odd record.
        const long Min = -62135596800000L;
        const long Max = 253402300799999L;
        var clamped = Math.Min(Math.Max(epochMilliseconds, Min), Max);
        return DateTimeOffset.FromUnixTimeMilliseconds(clamped).ToLocalTime();
    }
}
