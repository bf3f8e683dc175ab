using System;
using System.Diagnostics;
using System.Management.Automation;

namespace ConfluenceAudit.PowerShell;

/// <summary>
/// Write-Progress for long work, at most a few times a second (each update costs the host a redraw), and
/// always completed at the end, also on error or Ctrl+C, so no bar is left behind. WriteProgress itself
/// honours $ProgressPreference.
/// </summary>
internal sealed class ProgressReporter : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly Cmdlet cmdlet;
    private readonly int activityId;
    private readonly string activity;
    private readonly Stopwatch elapsed = Stopwatch.StartNew();
    private TimeSpan? lastUpdate;
    private bool shown;
    private string lastStatus = "Done";

    public ProgressReporter(Cmdlet cmdlet, int activityId, string activity)
    {
        this.cmdlet = cmdlet;
        this.activityId = activityId;
        this.activity = activity;
    }

    /// <summary>Reports <paramref name="done"/> units so far, and a percentage when the total is known.</summary>
    public void Report(long done, long? total, string unit)
    {
        var now = elapsed.Elapsed;
        if (lastUpdate is TimeSpan last && now - last < Interval)
        {
            return;
        }

        lastUpdate = now;
        var rate = now.TotalSeconds > 0 ? done / now.TotalSeconds : 0;
        lastStatus = total is long all && all > 0
            ? $"{done:N0} of {all:N0} {unit} ({rate:N0} {unit}/s)"
            : $"{done:N0} {unit} ({rate:N0} {unit}/s)";

        // A new record each time: whoever keeps the progress stream (a job, a host) keeps what each update said.
        cmdlet.WriteProgress(new ProgressRecord(activityId, activity, lastStatus)
        {
            PercentComplete = total is long known && known > 0 ? (int)Math.Min(100, done * 100 / known) : -1,
        });
        shown = true;
    }

    public void Dispose()
    {
        if (!shown)
        {
            return;
        }

        shown = false;
        try
        {
            cmdlet.WriteProgress(new ProgressRecord(activityId, activity, lastStatus) { RecordType = ProgressRecordType.Completed });
        }
        catch (PipelineStoppedException)
        {
            // Stopping: the host clears the progress display itself.
        }
    }
}
