namespace ConfluenceAudit.Models;

/// <summary>What GET /audit/export returns: a CSV file, or a ZIP archive holding it.</summary>
public enum AuditExportFormat
{
    Csv,
    Zip,
}
