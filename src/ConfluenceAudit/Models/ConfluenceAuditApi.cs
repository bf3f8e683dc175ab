namespace ConfluenceAudit.Models;

/// <summary>Which audit API a server offers.</summary>
public enum ConfluenceAuditApi
{
    /// <summary>{base}/rest/api/audit: Confluence Cloud, and Data Center or Server before 7.5.</summary>
    AuditResource,

    /// <summary>{base}/rest/auditing/1.0: Atlassian's auditing framework, Data Center 7.5 and later.</summary>
    AuditingFramework,
}
