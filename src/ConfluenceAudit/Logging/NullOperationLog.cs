namespace ConfluenceAudit.Logging;

/// <summary>A log that drops everything: for work nobody watches.</summary>
internal sealed class NullOperationLog : IOperationLog
{
    public static readonly NullOperationLog Instance = new NullOperationLog();

    public void Verbose(string message)
    {
    }

    public void Debug(string message)
    {
    }

    public void Progress(long done, long? total, string unit)
    {
    }
}
