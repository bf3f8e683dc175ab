using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Threading.Tasks;
using ConfluenceAudit.Commands;
using ConfluenceAudit.Connections;
using ConfluenceAudit.Files;
using ConfluenceAudit.Incremental;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.PowerShell;

/// <summary>
/// Get-ConfluenceAuditRecord -CheckpointPath / -Follow: the records created since the last successful run, oldest
/// first, exactly once. The checkpoint moves only when its records got through: it is written beside the file when
/// the records were handed on, and put in place when the whole pipeline has ended (after Export-Csv and the like
/// closed their files). Ctrl+C, a failing downstream command or a killed process leave the previous checkpoint,
/// so the next run delivers that window again. With -Follow, each poll's checkpoint is put in place after the poll.
/// </summary>
internal sealed class IncrementalPull
{
    private readonly GetConfluenceAuditRecordCommand cmdlet;
    private PendingFile? pending;
    private IncrementalReader? reader;
    private AuditSession? session;
    private string? path;

    public IncrementalPull(GetConfluenceAuditRecordCommand cmdlet)
    {
        this.cmdlet = cmdlet;
    }

    public void Run()
    {
        RefuseConflicts();
        path = cmdlet.CheckpointPath is null ? null : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(cmdlet.CheckpointPath);
        var checkpoint = LoadCheckpoint();
        session = cmdlet.ResolveSession();
        if (checkpoint is not null)
        {
            cmdlet.TryRun(_ => { checkpoint.CheckBelongsTo(path!, session.Site, cmdlet.SearchString); return Task.FromResult(true); }, path, out _);
        }

        var filters = cmdlet.Filters();
        if (!cmdlet.TryRun(token => session.ListingFlavourAsync(filters is not null, cmdlet.Log, token), session.BaseUri, out var flavour))
        {
            return;
        }

        var start = checkpoint?.Position ?? StartInstant() ?? DateTimeOffset.Now;
        reader = new IncrementalReader(
            flavour, cmdlet.SearchString, filters, start, checkpoint?.Floor ?? start,
            checkpoint?.Delivered ?? Array.Empty<DeliveredKey>(), TimeSpan.FromSeconds(cmdlet.OverlapSec), cmdlet.PageSize);
        var fromCheckpoint = checkpoint is not null;
        cmdlet.WriteVerbose(fromCheckpoint
            ? $"Continuing from the checkpoint at {reader.Position:u} (re-reading {cmdlet.OverlapSec} s before it)."
            : $"Starting from {reader.Position:u}.");
        try
        {
            while (true)
            {
                reader.Begin(DateTimeOffset.Now, fromCheckpoint);
                var failure = Deliver();
                fromCheckpoint = true;
                if (!cmdlet.Follow)
                {
                    Prepare();
                    return;
                }

                if (path is not null)
                {
                    reader.ToCheckpoint(session.Site).Prepare(path).Commit();
                }

                if (failure == FailureKind.InvalidResponse)
                {
                    // A poll that failed on the way (the network, throttling) is tried again at the next one. An answer
                    // the module cannot read is not: the same server answers the same way, so the follow ends, with
                    // its error written and the checkpoint just past the last record handed on.
                    cmdlet.WriteVerbose("The follow ends: the server's answer could not be read (see the error). A new run continues from the checkpoint.");
                    return;
                }

                cmdlet.TryRun(async token => { await Task.Delay(TimeSpan.FromSeconds(cmdlet.PollIntervalSec), token).ConfigureAwait(false); return true; }, null, out _);
            }
        }
        catch (Exception exception) when (DownstreamHasEnough(exception))
        {
            // A downstream command such as Select-Object -First has enough: what it took counts as delivered.
            Prepare();
            throw;
        }
    }

    public void PipelineEnded()
    {
        var prepared = pending;
        pending = null;
        if (prepared is null)
        {
            return;
        }

        if (cmdlet.IsStopping || PipelineFailed())
        {
            prepared.Discard();
            return;
        }

        prepared.Commit();
    }

    /// <summary>
    /// Select-Object -First stops the commands before it once it has enough (PowerShell 7 with a
    /// PipelineStoppedException, older versions with StopUpstreamCommandsException): that is not a failure, and what
    /// it took was delivered. Ctrl+C also stops the pipeline, but then this command was told to stop first.
    /// </summary>
    private bool DownstreamHasEnough(Exception exception) =>
        !cmdlet.IsStopping && !cmdlet.Stopping &&
        (exception is PipelineStoppedException || exception.GetType().Name == "StopUpstreamCommandsException");

    /// <summary>
    /// Whether a command after this one failed after the last record was handed on (a throwing end block, a
    /// Sort-Object that then fails). PowerShell offers no public way to ask, so this reads the pipeline's first
    /// terminating error; where that is not available it answers no, and the checkpoint moves as the pipeline ends.
    /// </summary>
    private bool PipelineFailed()
    {
        const BindingFlags NonPublic = BindingFlags.Instance | BindingFlags.NonPublic;
        var runtime = cmdlet.CommandRuntime;
        var processor = runtime?.GetType().GetProperty("PipelineProcessor", NonPublic)?.GetValue(runtime);
        return processor?.GetType().GetField("_firstTerminatingError", NonPublic)?.GetValue(processor) is not null;
    }

    /// <summary>Hands on the records of one run or poll; the kind of failure that ended it early, if one did.</summary>
    private FailureKind? Deliver()
    {
        FailureKind? failure;
        while (cmdlet.TryRun(token => reader!.NextBatchAsync(cmdlet.Log, token), session!.BaseUri, out var batch, out failure) && batch is not null)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    cmdlet.WriteObject(batch.Records[i]);
                }
                catch (Exception exception) when (DownstreamHasEnough(exception))
                {
                    // Select-Object -First took this record, then stopped the pipeline.
                    reader!.MarkDelivered(batch, i);
                    throw;
                }

                reader!.MarkDelivered(batch, i);
            }

            reader!.Complete(batch);
        }

        return failure;
    }

    private void Prepare()
    {
        if (path is not null && reader is not null && session is not null)
        {
            pending?.Discard();
            pending = reader.ToCheckpoint(session.Site).Prepare(path);
            cmdlet.WriteVerbose($"Delivered {reader.RecordsDelivered} records ({reader.DuplicatesSkipped} already delivered were skipped); the checkpoint moves to {reader.Position:u} when the pipeline ends.");
        }
    }

    private void RefuseConflicts()
    {
        string? conflict =
            cmdlet.ParameterSetName == GetConfluenceAuditRecordCommand.SinceSet ? "-Last and -Unit" :
            cmdlet.MyInvocation.BoundParameters.ContainsKey("EndDate") ? "-EndDate" :
            cmdlet.PagingParameters.First != ulong.MaxValue ? "-First" :
            cmdlet.PagingParameters.Skip != 0 ? "-Skip" : null;
        if (conflict is not null)
        {
            cmdlet.Fail("CheckpointParameterConflict", ErrorCategory.InvalidArgument,
                $"{conflict} cannot be used with {(cmdlet.CheckpointPath is null ? "-Follow" : "-CheckpointPath")}: an incremental pull always reads from where the last run ended up to now. " +
                "Use -StartDate for where the first run begins and -SearchString to narrow it.", conflict);
        }
    }

    private Checkpoint? LoadCheckpoint()
    {
        if (path is null)
        {
            return null;
        }

        if (!File.Exists(path))
        {
            if (!cmdlet.StartDate.HasValue)
            {
                cmdlet.Fail("CheckpointNotFound", ErrorCategory.ObjectNotFound,
                    $"There is no checkpoint at '{path}' yet. For the first run, say where to begin with -StartDate, for example -StartDate (Get-Date).AddDays(-30); " +
                    "later runs continue from the checkpoint and ignore -StartDate.", path);
            }

            return null;
        }

        cmdlet.TryRun(_ => Task.FromResult(Checkpoint.Load(path)), path, out var checkpoint);
        if (cmdlet.StartDate.HasValue)
        {
            cmdlet.WriteVerbose($"-StartDate is ignored: the checkpoint '{path}' says where to continue.");
        }

        return checkpoint;
    }

    private DateTimeOffset? StartInstant() =>
        cmdlet.StartDate is DateTime start ? cmdlet.BuildRangeQuery(start, null, null).StartDate : null;
}
