namespace ConfluenceAudit.Models;

/// <summary>
/// The units GET /audit/since accepts (Java's ChronoUnit). PascalCase here; sent as the API spells them
/// (HalfDays as HALF_DAYS), and the API's own spellings bind too.
/// </summary>
public enum AuditTimeUnit
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
}
