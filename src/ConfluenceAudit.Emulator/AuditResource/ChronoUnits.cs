namespace ConfluenceAudit.Emulator.AuditResource;

/// <summary>Java's <c>java.time.temporal.ChronoUnit</c> as Confluence uses it: the units accepted by
/// <c>/audit/since</c> and <c>RetentionPeriod</c>, their estimated durations, and "now minus N units".</summary>
internal static class ChronoUnits
{
    /// <summary>Units of <c>GET /audit/since</c> (the OpenAPI enum of its <c>units</c> parameter).</summary>
    public static readonly string[] SinceUnits =
    [
        "NANOS", "MICROS", "MILLIS", "SECONDS", "MINUTES", "HOURS", "HALF_DAYS", "DAYS", "WEEKS",
        "MONTHS", "YEARS", "DECADES", "CENTURIES",
    ];

    /// <summary>Units of <c>RetentionPeriod.units</c>: the since units plus the three longest.</summary>
    public static readonly string[] RetentionUnits = [.. SinceUnits, "MILLENNIA", "ERAS", "FOREVER"];

    private const decimal SecondsPerDay = 86_400m;

    // ChronoUnit.YEARS.getDuration() is 365.2425 days (the Gregorian mean); MONTHS is a twelfth of it.
    private const decimal SecondsPerYear = 365.2425m * SecondsPerDay;

    /// <summary>Cloud's documented maximum retention: "a maximum of 1 year", measured as Java's
    /// estimated duration, so 12 MONTHS and 365 DAYS fit and 53 WEEKS does not.</summary>
    public const decimal MaxRetentionSeconds = SecondsPerYear;

    // Case-sensitive on purpose: Java's Enum.valueOf is, and a client sending "months" is wrong.
    public static bool IsSinceUnit(string? unit) => unit is not null && Array.IndexOf(SinceUnits, unit) >= 0;

    public static bool IsRetentionUnit(string? unit) => unit is not null && Array.IndexOf(RetentionUnits, unit) >= 0;

    /// <summary>ChronoUnit's estimated duration in seconds; null for FOREVER (unbounded).</summary>
    public static decimal? EstimatedSeconds(string unit) => unit switch
    {
        "NANOS" => 0.000_000_001m,
        "MICROS" => 0.000_001m,
        "MILLIS" => 0.001m,
        "SECONDS" => 1m,
        "MINUTES" => 60m,
        "HOURS" => 3_600m,
        "HALF_DAYS" => 43_200m,
        "DAYS" => SecondsPerDay,
        "WEEKS" => 7m * SecondsPerDay,
        "MONTHS" => SecondsPerYear / 12m,
        "YEARS" => SecondsPerYear,
        "DECADES" => 10m * SecondsPerYear,
        "CENTURIES" => 100m * SecondsPerYear,
        "MILLENNIA" => 1_000m * SecondsPerYear,
        "ERAS" => 1_000_000_000m * SecondsPerYear,
        "FOREVER" => null,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Not a ChronoUnit name."),
    };

    /// <summary>True when <paramref name="number"/> × <paramref name="unit"/> is at most one year.</summary>
    public static bool FitsRetentionMaximum(int number, string unit)
    {
        decimal? seconds = EstimatedSeconds(unit);
        return seconds is not null && number * seconds.Value <= MaxRetentionSeconds;
    }

    /// <summary>The earliest creationDate (epoch ms, inclusive) of "the last <paramref name="number"/>
    /// <paramref name="unit"/>" seen from <paramref name="now"/>. Calendar units go through
    /// AddMonths/AddYears like Java's <c>minus</c>; a period reaching before year 1 means "everything".</summary>
    public static long CutoffEpochMs(DateTimeOffset now, long number, string unit)
    {
        try
        {
            DateTimeOffset? calendar = unit switch
            {
                "MONTHS" => now.AddMonths(-checked((int)number)),
                "YEARS" => now.AddYears(-checked((int)number)),
                "DECADES" => now.AddYears(-checked((int)(number * 10))),
                "CENTURIES" => now.AddYears(-checked((int)(number * 100))),
                _ => null,
            };
            if (calendar is not null)
            {
                return calendar.Value.ToUnixTimeMilliseconds();
            }
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return long.MinValue;
        }

        // Fixed-length units in nanoseconds; Int128 cannot overflow for any int64 count of days.
        Int128 unitNanos = unit switch
        {
            "NANOS" => 1,
            "MICROS" => 1_000,
            "MILLIS" => 1_000_000,
            "SECONDS" => 1_000_000_000,
            "MINUTES" => 60_000_000_000,
            "HOURS" => 3_600_000_000_000,
            "HALF_DAYS" => 43_200_000_000_000,
            "DAYS" => 86_400_000_000_000,
            "WEEKS" => 604_800_000_000_000,
            _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Not a since unit."),
        };
        Int128 nowNanos = (Int128)(now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        Int128 cutoffNanos = nowNanos - (number * unitNanos);

        // A record stamped at millisecond m is inside the period when m*1e6 >= cutoff: round up.
        Int128 cutoffMs = cutoffNanos >= 0
            ? (cutoffNanos + 999_999) / 1_000_000
            : cutoffNanos / 1_000_000;
        return cutoffMs < long.MinValue ? long.MinValue : (long)cutoffMs;
    }
}
