namespace ConfluenceAudit.Logging;

/// <summary>
/// Where the core reports what it does. The PowerShell layer hands these messages to PowerShell's verbose, debug and
/// progress streams on the pipeline thread; the core itself never touches PowerShell. May be called from any thread.
/// </summary>
internal interface IOperationLog
{
    void Verbose(string message);

    void Debug(string message);

    /// <summary>Long work's progress: <paramref name="done"/> units of <paramref name="unit"/> so far, of <paramref name="total"/> when known.</summary>
    void Progress(long done, long? total, string unit);
}
