using System;
using System.Collections;
using System.Management.Automation;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Incremental;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>
/// What every cmdlet of the module shares: the bridge from async work to the pipeline thread, Ctrl+C
/// (StopProcessing cancels every request and wait), and turning failures into ErrorRecords.
/// </summary>
public abstract class ConfluenceAuditCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource stopping = new CancellationTokenSource();
    private PipelineBridge? bridge;

    internal IOperationLog Log => Bridge;

    private PipelineBridge Bridge => bridge ??= new PipelineBridge(this);

    /// <summary>PowerShell disposes every command of a pipeline after the whole pipeline has ended.</summary>
    public void Dispose()
    {
        try
        {
            OnPipelineEnded();
        }
        finally
        {
            bridge?.Dispose();
            stopping.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>True once Ctrl+C (or the host) asked the command to stop.</summary>
    internal bool IsStopping => stopping.IsCancellationRequested;

    /// <summary>Runs when the pipeline has ended, after the commands downstream finished their own work.</summary>
    internal virtual void OnPipelineEnded()
    {
    }

    protected override void StopProcessing() => stopping.Cancel();

    /// <summary>
    /// Runs async work to completion on the pipeline thread. Ctrl+C is not an error: it ends the pipeline quietly.
    /// API failures become ErrorRecords: terminating or not by their kind (see <see cref="ErrorRecords.IsTerminating"/>);
    /// a request refused before it was sent, and an unusable checkpoint, stop the command.
    /// Returns false when a non-terminating failure was written.
    /// </summary>
    internal bool TryRun<T>(Func<CancellationToken, Task<T>> work, object? errorTarget, out T result) =>
        TryRun(work, errorTarget, out result, out _);

    /// <summary><see cref="TryRun{T}(Func{CancellationToken, Task{T}}, object?, out T)"/>, also telling what kind of
    /// failure it wrote as a non-terminating error (null when it succeeded).</summary>
    internal bool TryRun<T>(Func<CancellationToken, Task<T>> work, object? errorTarget, out T result, out FailureKind? failure)
    {
        result = default!;
        failure = null;
        try
        {
            result = Bridge.Run(work(stopping.Token));
            return true;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (ConfluenceApiException exception)
        {
            var record = ErrorRecords.FromApiException(exception, errorTarget);
            if (ErrorRecords.IsTerminating(exception.Kind))
            {
                ThrowTerminatingError(record);
            }

            failure = exception.Kind;
            WriteError(record);
            return false;
        }
        catch (InvalidAuditRequestException exception)
        {
            ThrowTerminatingError(ErrorRecords.FromRefusal(exception));
            return false;
        }
        catch (CheckpointException exception)
        {
            ThrowTerminatingError(ErrorRecords.FromCheckpoint(exception));
            return false;
        }
    }

    /// <summary>
    /// <see cref="TryRun{T}"/> for long work whose progress the core reports: shown as <paramref name="activity"/>
    /// while the work runs, and completed when it ends, however it ends.
    /// </summary>
    internal bool TryRunWithProgress<T>(string activity, Func<CancellationToken, Task<T>> work, object? errorTarget, out T result)
    {
        using var progress = new ProgressReporter(this, 1, activity);
        Bridge.ProgressTarget = progress;
        try
        {
            return TryRun(work, errorTarget, out result);
        }
        finally
        {
            Bridge.ProgressTarget = null;
        }
    }

    /// <summary>Stops the command with an error that says what to do; used for input refused before any request.</summary>
    internal void Fail(string errorId, ErrorCategory category, string message, object? target, Exception? innerException = null, string? advice = null) =>
        ThrowTerminatingError(ErrorRecords.Create(errorId, category, message, target, innerException, advice));

    internal string UserAgent()
    {
        var module = typeof(ConfluenceAuditCmdlet).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = module.IndexOf('+');
        module = plus < 0 ? module : module.Substring(0, plus);
        var powerShell = (SessionState.PSVariable.GetValue("PSVersionTable") as Hashtable)?["PSVersion"]?.ToString() ?? "unknown";
        return $"ConfluenceAudit/{module} PowerShell/{powerShell}";
    }
}
