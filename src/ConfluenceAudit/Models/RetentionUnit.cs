namespace ConfluenceAudit.Models;

/// <summary>
/// The units of a retention period (Java's ChronoUnit, as the API's RetentionPeriod.units). PascalCase here;
/// sent as the API spells them (HalfDays as HALF_DAYS), and the API's spellings bind too.
/// </summary>
public enum RetentionUnit
{
    Nanos,
    Micros,
    Millis,
    Seconds,
    Minutes,
    Hours,
    HalfDays,
    Days,
    Weeks,
    Months,
    Years,
    Decades,
    Centuries,
    Millennia,
    Eras,
    Forever,
}
