using System;

namespace ConfluenceAudit.Models;

/// <summary>Lengths of retention periods as Confluence (java.time.ChronoUnit) estimates them, for comparing settings.</summary>
internal static class RetentionLength
{
    /// <summary>ChronoUnit.YEARS: 365.2425 days.</summary>
    public static readonly TimeSpan OneYear = TimeSpan.FromTicks((long)(365.2425 * TimeSpan.TicksPerDay));

    /// <summary>The period's length, or null when it does not fit a TimeSpan (centuries of them, FOREVER).</summary>
    public static TimeSpan? Of(long number, RetentionUnit unit)
    {
        double ticksPerUnit = unit switch
        {
            RetentionUnit.Nanos => 0.01,
            RetentionUnit.Micros => 10,
            RetentionUnit.Millis => TimeSpan.TicksPerMillisecond,
            RetentionUnit.Seconds => TimeSpan.TicksPerSecond,
            RetentionUnit.Minutes => TimeSpan.TicksPerMinute,
            RetentionUnit.Hours => TimeSpan.TicksPerHour,
            RetentionUnit.HalfDays => TimeSpan.TicksPerHour * 12,
            RetentionUnit.Days => TimeSpan.TicksPerDay,
            RetentionUnit.Weeks => TimeSpan.TicksPerDay * 7,
            RetentionUnit.Months => OneYear.Ticks / 12.0,
            RetentionUnit.Years => OneYear.Ticks,
            RetentionUnit.Decades => OneYear.Ticks * 10.0,
            RetentionUnit.Centuries => OneYear.Ticks * 100.0,
            RetentionUnit.Millennia => OneYear.Ticks * 1000.0,
            RetentionUnit.Eras => OneYear.Ticks * 1e9,
            _ => double.PositiveInfinity,
        };
        var ticks = number * ticksPerUnit;
        return ticks >= TimeSpan.MaxValue.Ticks ? null : TimeSpan.FromTicks((long)ticks);
    }
}
