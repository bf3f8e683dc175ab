using System;

namespace ConfluenceAudit.Models;

/// <summary>
/// A request the core refuses before anything is sent, because the server would refuse it or it cannot mean what was
/// asked (a retention the API does not allow, a Data Center filter on Cloud). The message says why in the API's terms;
/// the PowerShell layer adds which parameter to change.
/// </summary>
internal sealed class InvalidAuditRequestException : ArgumentException
{
    public InvalidAuditRequestException(string errorId, string message, object? value = null)
        : base(message)
    {
        ErrorId = errorId;
        Value = value;
    }

    /// <summary>Stable PascalCase id, the first part of the ErrorRecord's FullyQualifiedErrorId.</summary>
    public string ErrorId { get; }

    /// <summary>The value that was refused: the ErrorRecord's target.</summary>
    public object? Value { get; }
}
