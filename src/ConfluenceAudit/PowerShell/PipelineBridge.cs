using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Logging;

namespace ConfluenceAudit.PowerShell;

/// <summary>
/// Runs the core's async work from a synchronous cmdlet. The pipeline thread waits for the task while writing the
/// verbose, debug and progress messages the work queues from other threads, because PowerShell's Write* methods may
/// only be called on the pipeline thread.
/// </summary>
internal sealed class PipelineBridge : IOperationLog, IDisposable
{
    private readonly Cmdlet cmdlet;
    private readonly ConcurrentQueue<Action> messages = new ConcurrentQueue<Action>();
    private readonly AutoResetEvent messageArrived = new AutoResetEvent(false);

    public PipelineBridge(Cmdlet cmdlet)
    {
        this.cmdlet = cmdlet;
    }

    /// <summary>Where the work's progress goes; none is shown while this is null.</summary>
    public ProgressReporter? ProgressTarget { get; set; }

    public void Verbose(string message) => Enqueue(() => cmdlet.WriteVerbose(message));

    public void Debug(string message) => Enqueue(() => cmdlet.WriteDebug(message));

    public void Progress(long done, long? total, string unit) => Enqueue(() => ProgressTarget?.Report(done, total, unit));

    public T Run<T>(Task<T> task)
    {
        var handles = new WaitHandle[] { ((IAsyncResult)task).AsyncWaitHandle, messageArrived };
        while (!task.IsCompleted)
        {
            WaitHandle.WaitAny(handles);
            Drain();
        }

        Drain();
        return task.GetAwaiter().GetResult();
    }

    public void Dispose() => messageArrived.Dispose();

    private void Enqueue(Action write)
    {
        messages.Enqueue(write);
        messageArrived.Set();
    }

    private void Drain()
    {
        while (messages.TryDequeue(out var write))
        {
            write();
        }
    }
}
