using System;
using System.Management.Automation;
using ConfluenceAudit.Incremental;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.PowerShell;

/// <summary>
/// The one place failures become ErrorRecords: category from the kind of failure, a stable error id, the message in
/// the API's terms followed by which parameter to change (<see cref="ErrorAdvice"/>), that advice also as
/// RecommendedAction, and the inner exception kept.
/// </summary>
internal static class ErrorRecords
{
    public static ErrorCategory CategoryOf(FailureKind kind) => kind switch
    {
        FailureKind.BadRequest => ErrorCategory.InvalidArgument,
        FailureKind.Authentication => ErrorCategory.AuthenticationError,
        FailureKind.Permission => ErrorCategory.PermissionDenied,
        FailureKind.NotFound => ErrorCategory.ObjectNotFound,
        FailureKind.Throttled => ErrorCategory.LimitsExceeded,
        FailureKind.Unavailable => ErrorCategory.ResourceUnavailable,
        FailureKind.Timeout => ErrorCategory.OperationTimeout,
        FailureKind.Connection => ErrorCategory.ConnectionError,
        FailureKind.InvalidResponse => ErrorCategory.InvalidResult,
        FailureKind.NotSupported => ErrorCategory.NotImplemented,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>
    /// Failures that no other input or later retry can fix (wrong credentials, missing permission, wrong
    /// address) stop the command; the others are reported for the item at hand. Each id is always one or the other.
    /// </summary>
    public static bool IsTerminating(FailureKind kind) =>
        kind == FailureKind.Authentication || kind == FailureKind.Permission || kind == FailureKind.NotFound;

    /// <summary>An API failure; its exception is the same <see cref="ConfluenceApiException"/>, with the advice added to its message.</summary>
    public static ErrorRecord FromApiException(ConfluenceApiException exception, object? target)
    {
        var advice = ErrorAdvice.For(exception);
        var shown = advice is null ? exception : exception.WithSuffix(advice);
        return new ErrorRecord(shown, exception.ErrorId, CategoryOf(exception.Kind), target)
        {
            ErrorDetails = new ErrorDetails(shown.Message) { RecommendedAction = advice },
        };
    }

    /// <summary>A request the core refused before sending it: always terminating, since the same input fails again.</summary>
    public static ErrorRecord FromRefusal(InvalidAuditRequestException exception) =>
        Create(exception.ErrorId, ErrorCategory.InvalidArgument, exception.Message, exception.Value, exception, ErrorAdvice.For(exception));

    /// <summary>A checkpoint file that cannot be used.</summary>
    public static ErrorRecord FromCheckpoint(CheckpointException exception) =>
        Create(exception.ErrorId, exception.ErrorId == CheckpointException.Invalid ? ErrorCategory.InvalidData : ErrorCategory.InvalidArgument,
            exception.Message, exception.Path, exception, ErrorAdvice.CheckpointUnusable);

    /// <summary>
    /// An error found by the module itself. <paramref name="advice"/>, when given, is added to the message and shown as
    /// RecommendedAction.
    /// </summary>
    public static ErrorRecord Create(string errorId, ErrorCategory category, string message, object? target, Exception? innerException = null, string? advice = null)
    {
        var text = advice is null ? message : message + " " + advice;
        var exception = category switch
        {
            ErrorCategory.InvalidArgument => new ArgumentException(text, innerException),
            _ => (Exception)new InvalidOperationException(text, innerException),
        };
        var record = new ErrorRecord(exception, errorId, category, target);
        if (advice is not null)
        {
            record.ErrorDetails = new ErrorDetails(text) { RecommendedAction = advice };
        }

        return record;
    }
}
