using System;

namespace ConfluenceAudit.Incremental;

/// <summary>A checkpoint file that cannot be used: unreadable, not one this module wrote, or written for another site or search.</summary>
internal sealed class CheckpointException : Exception
{
    public const string Invalid = "CheckpointInvalid";
    public const string SiteMismatch = "CheckpointSiteMismatch";
    public const string SearchMismatch = "CheckpointSearchMismatch";

    public CheckpointException(string errorId, string path, string problem, Exception? innerException = null)
        : base($"The checkpoint file '{path}' cannot be used: {problem} It was left untouched for inspection.", innerException)
    {
        ErrorId = errorId;
        Path = path;
    }

    /// <summary>Stable PascalCase id, the first part of the ErrorRecord's FullyQualifiedErrorId.</summary>
    public string ErrorId { get; }

    public string Path { get; }
}
