namespace ConfluenceAudit.Http
{
    /// <summary>
    /// Where the core reports what it does. The cmdlets hand these messages to PowerShell's verbose and
    /// debug streams on the pipeline thread; the core itself never touches PowerShell.
    /// </summary>
    internal interface IOperationLog
    {
        void Verbose(string message);

        void Debug(string message);
    }

    internal sealed class NullOperationLog : IOperationLog
    {
        public static readonly NullOperationLog Instance = new NullOperationLog();

        public void Verbose(string message)
        {
        }

        public void Debug(string message)
        {
        }
    }
}
