using System;
using System.IO;
using System.Management.Automation;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Models;
using ConfluenceAudit.PowerShell;
using ConfluenceAudit.Reporting;

namespace ConfluenceAudit.Commands;

/// <summary>
/// Writes an audit review report: one self-contained HTML page with totals, activity over time, categories, top authors
/// and addresses, sensitive events, activity outside working hours and the newest records. It reads a range of the log
/// (or the records piped to it) as they stream, in bounded memory, and the file appears whole or not at all.
/// </summary>
[Cmdlet(VerbsData.Export, "ConfluenceAuditReport", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportConfluenceAuditReportCommand : ConfluenceAuditApiCmdlet
{
    internal const string PathSet = "Path";
    internal const string LiteralPathSet = "LiteralPath";
    internal const string PathSinceSet = "PathSince";
    internal const string LiteralPathSinceSet = "LiteralPathSince";

    private AuditReport? report;
    private ProgressReporter? progress;
    private string? target;
    private bool confirmed;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSinceSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSinceSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string? LiteralPath { get; set; }

    /// <summary>Records piped in (from Get-ConfluenceAuditRecord): the report covers them instead of reading a range.</summary>
    [Parameter(ValueFromPipeline = true)]
    public ConfluenceAuditRecord? InputObject { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    public DateTime? StartDate { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    public DateTime? EndDate { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = PathSinceSet)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSinceSet)]
    [ValidateRange(1, long.MaxValue)]
    public long Last { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = PathSinceSet)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSinceSet)]
    [ApiEnumNameTransformation(typeof(AuditTimeUnit))]
    public AuditTimeUnit Unit { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SearchString { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Title { get; set; }

    /// <summary>"08:00-18:00" (Monday to Friday), "08:00-18:00 Mon-Sat" or "22:00-06:00 Mon,Tue".</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string WorkingHours { get; set; } = "08:00-18:00 Mon-Fri";

    /// <summary>The clock of the report (an IANA or Windows time zone id); by default the local time zone.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TimeZone { get; set; }

    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private bool RecordsGiven => MyInvocation.ExpectingInput;

    protected override void BeginProcessing()
    {
        var given = ParameterSetName is LiteralPathSet or LiteralPathSinceSet ? LiteralPath! : Path!;
        if (RecordsGiven && (StartDate.HasValue || EndDate.HasValue || ParameterSetName is PathSinceSet or LiteralPathSinceSet || SearchString is not null))
        {
            Fail("ReportRecordsAndRange", ErrorCategory.InvalidArgument,
                "Records were piped in and a range (-StartDate, -EndDate, -Last, -SearchString) was given too. Give one of them: filter the records before piping them, or leave out the pipeline.", null);
        }

        target = OutputFilePath.Resolve(this, given, NoClobber, Force, "Report", "audit-report.html");
        report = new AuditReport(ResolveTimeZone(), ParseWorkingHours());
        var what = RecordsGiven ? "the records given" : "the audit log of " + ResolveSession().BaseUri;
        confirmed = ShouldProcess(target, "Write an audit review report of " + what);
        progress = new ProgressReporter(this, 1, RecordsGiven ? "Reading the records given for the report" : "Reading " + what + " for the report");
    }

    protected override void ProcessRecord()
    {
        if (confirmed && InputObject is not null)
        {
            report!.Add(InputObject);
            progress!.Report(report.Total, null, "records");
        }
    }

    protected override void EndProcessing()
    {
        if (!confirmed)
        {
            return;
        }

        var context = new ReportContext(Title ?? "Confluence audit review", DateTimeOffset.Now)
        {
            RecordsGiven = RecordsGiven,
            SearchString = SearchString,
        };
        var connection = RecordsGiven ? Connection ?? ConnectionStore.Default : ResolveConnection();
        context.Site = connection?.BaseUri.AbsoluteUri;
        context.Deployment = connection?.Deployment.ToString();
        if (!RecordsGiven && !ReadLog(context))
        {
            progress!.Dispose();
            return;
        }

        progress!.Dispose();
        try
        {
            ReportFile.WriteHtml(report!, context, target!, Force);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Fail("ReportWriteFailed", ErrorCategory.WriteError, $"The report could not be written to '{target}': {exception.Message}", target, exception);
        }

        WriteVerbose($"Wrote a report of {report!.Total:N0} records to {target}.");
        if (PassThru)
        {
            WriteObject(new FileInfo(target!));
        }
    }

    /// <summary>Reads the range into the report; false when the listing failed (the error is written).</summary>
    private bool ReadLog(ReportContext context)
    {
        var query = BuildQuery(context);
        var session = ResolveSession();
        if (!TryRun(token => session.ListAsync(query, 0, ulong.MaxValue, 1000, Log, token), session.BaseUri, out var listing))
        {
            return false;
        }

        using var pager = listing;
        while (TryRun(token => pager.NextPageAsync(Log, token), session.BaseUri, out var page))
        {
            if (page is null)
            {
                WriteVerbose($"Read {pager.RecordsReturned} records in {pager.PagesRequested} requests.");
                return true;
            }

            foreach (var record in page)
            {
                report!.Add(record);
            }

            progress!.Report(pager.RecordsReturned, null, "records");
        }

        return false;
    }

    private AuditQuery BuildQuery(ReportContext context)
    {
        if (ParameterSetName is PathSinceSet or LiteralPathSinceSet)
        {
            context.Range = $"the last {Last} {Unit} up to {context.GeneratedAt:yyyy-MM-dd HH:mm}";
            return AuditQuery.Since(Last, Unit, SearchString);
        }

        var query = BuildRangeQuery(StartDate, EndDate, SearchString);
        if (query.EndDate is null && (query.StartDate is null || query.StartDate <= context.GeneratedAt))
        {
            query = query.WithEndDate(context.GeneratedAt);
        }

        var zone = report!.TimeZone;
        string Show(DateTimeOffset? at) => at is DateTimeOffset value ? TimeZoneInfo.ConvertTime(value, zone).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : "the oldest record";
        context.Range = "from " + Show(query.StartDate) + " to " + Show(query.EndDate);
        return query;
    }

    private TimeZoneInfo ResolveTimeZone()
    {
        if (TimeZone is null)
        {
            return TimeZoneInfo.Local;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            Fail("ReportTimeZoneNotFound", ErrorCategory.InvalidArgument,
                $"'{TimeZone}' is not a time zone this computer knows. Give an id such as UTC, Europe/Berlin or W. Europe Standard Time ([TimeZoneInfo]::GetSystemTimeZones() lists them).", TimeZone, exception);
            throw;
        }
    }

    private WorkingHours ParseWorkingHours()
    {
        try
        {
            return Reporting.WorkingHours.Parse(WorkingHours);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            Fail("ReportWorkingHoursInvalid", ErrorCategory.InvalidArgument,
                exception.Message + " Give -WorkingHours as start-end times with optional days, such as '08:00-18:00' or '07:00-19:00 Mon-Sat'.", WorkingHours, exception);
            throw;
        }
    }
}
