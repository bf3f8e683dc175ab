using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Http;

namespace ConfluenceAudit.Commands
{
    /// <summary>
    /// Runs the core's async work from a synchronous cmdlet. The pipeline thread waits for the task while
    /// writing the verbose and debug messages the work queues from other threads, because PowerShell's
    /// Write* methods may only be called on the pipeline thread.
    /// </summary>
    internal sealed class PipelineBridge : IOperationLog, IDisposable
    {
        private readonly Cmdlet cmdlet;
        private readonly ConcurrentQueue<(bool IsDebug, string Text)> messages = new ConcurrentQueue<(bool, string)>();
        private readonly AutoResetEvent messageArrived = new AutoResetEvent(false);

        public PipelineBridge(Cmdlet cmdlet)
        {
            this.cmdlet = cmdlet;
        }

        public void Verbose(string message)
        {
            messages.Enqueue((false, message));
            messageArrived.Set();
        }

        public void Debug(string message)
        {
            messages.Enqueue((true, message));
            messageArrived.Set();
        }

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

        private void Drain()
        {
            while (messages.TryDequeue(out var message))
            {
                if (message.IsDebug)
                {
                    cmdlet.WriteDebug(message.Text);
                }
                else
                {
                    cmdlet.WriteVerbose(message.Text);
                }
            }
        }
    }
}
