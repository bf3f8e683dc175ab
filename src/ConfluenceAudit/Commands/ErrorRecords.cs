using System;
using System.Management.Automation;
using ConfluenceAudit.Http;

namespace ConfluenceAudit.Commands
{
    /// <summary>
    /// The one place failures become ErrorRecords: category from the kind of failure, a stable error id,
    /// the full message (with the server's own words) in ErrorDetails, and the inner exception kept.
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

        public static ErrorRecord FromApiException(ConfluenceApiException exception, object? target)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception.Kind), target)
            {
                ErrorDetails = new ErrorDetails(exception.Message),
            };
            return record;
        }

        public static ErrorRecord Create(string errorId, ErrorCategory category, string message, object? target, Exception? innerException = null, string? recommendedAction = null)
        {
            var exception = category switch
            {
                ErrorCategory.InvalidArgument => new ArgumentException(message, innerException),
                _ => (Exception)new InvalidOperationException(message, innerException),
            };
            var record = new ErrorRecord(exception, errorId, category, target);
            if (recommendedAction is not null)
            {
                record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
            }

            return record;
        }
    }
}
