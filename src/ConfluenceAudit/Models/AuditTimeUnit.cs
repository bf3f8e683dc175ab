namespace ConfluenceAudit.Models
{
    /// <summary>
    /// The units GET /audit/since accepts (Java's ChronoUnit). PascalCase here; sent as the API spells them
    /// (HalfDays as HALF_DAYS). The API's own spellings bind too, through <see cref="Commands.ApiEnumNameTransformationAttribute"/>.
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

    /// <summary>Which kind of Confluence a connection talks to.</summary>
    public enum ConfluenceDeployment
    {
        Cloud,
        DataCenter,
    }

    /// <summary>Which audit API a server offers.</summary>
    public enum ConfluenceAuditApi
    {
        /// <summary>{base}/rest/api/audit: Confluence Cloud, and Data Center or Server before 7.5.</summary>
        AuditResource,

        /// <summary>{base}/rest/auditing/1.0: Atlassian's auditing framework, Data Center 7.5 and later.</summary>
        AuditingFramework,
    }
}
