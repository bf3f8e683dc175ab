namespace ConfluenceAudit.Models;

/// <summary>What went wrong, in the terms the PowerShell layer turns into an ErrorCategory (see PowerShell/ErrorRecords).</summary>
internal enum FailureKind
{
    BadRequest,
    Authentication,
    Permission,
    NotFound,
    Throttled,
    Unavailable,
    Timeout,
    Connection,
    InvalidResponse,
    NotSupported,
    Other,
}
