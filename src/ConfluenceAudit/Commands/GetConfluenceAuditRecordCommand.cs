using System;
using System.Management.Automation;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Models;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>
/// Lists audit records, newest first, writing each page's records as the page arrives, so memory does not
/// grow with the size of the log. A date range uses GET /audit; -Last/-Unit uses GET /audit/since.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ConfluenceAuditRecord", DefaultParameterSetName = RangeSet, SupportsPaging = true)]
[OutputType(typeof(ConfluenceAuditRecord))]
public sealed class GetConfluenceAuditRecordCommand : ConfluenceAuditApiCmdlet
{
    internal const string RangeSet = "Range";
    internal const string SinceSet = "Since";

    /// <summary>Records from this moment on. Local time unless the value says UTC.</summary>
    [Parameter(ParameterSetName = RangeSet)]
    public DateTime? StartDate { get; set; }

    /// <summary>Records up to this moment.</summary>
    [Parameter(ParameterSetName = RangeSet)]
    public DateTime? EndDate { get; set; }

    /// <summary>How many units back from now (GET /audit/since).</summary>
    [Parameter(Mandatory = true, ParameterSetName = SinceSet)]
    [ValidateRange(1, long.MaxValue)]
    public long Last { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = SinceSet)]
    [ApiEnumNameTransformation(typeof(AuditTimeUnit))]
    public AuditTimeUnit Unit { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SearchString { get; set; }

    /// <summary>
    /// A file that remembers what earlier runs delivered: each run writes the records created since the previous
    /// successful run, oldest first, exactly once. The first run (no file yet) starts at -StartDate.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CheckpointPath { get; set; }

    /// <summary>How far back before the checkpoint each run re-reads, to catch records of the same millisecond and late arrivals.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int OverlapSec { get; set; } = 300;

    /// <summary>Keep polling for new records, writing them oldest first, until Ctrl+C or until a downstream command has enough.</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>Seconds between polls with -Follow.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int PollIntervalSec { get; set; } = 60;

    /// <summary>Records asked for per request; the server may send fewer.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int PageSize { get; set; } = 1000;

    /// <summary>Data Center (auditing framework) only: categories, as the server names them (possibly localised).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Category { get; set; }

    /// <summary>Data Center (auditing framework) only: actions, as the server names them (possibly localised).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Action { get; set; }

    /// <summary>Data Center (auditing framework) only: ids of the users whose actions to list.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AuthorId { get; set; }

    /// <summary>Data Center (auditing framework) only: "type,id" pairs such as "space,98306"; lets a space administrator read their space's log.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidatePattern(@"^[^,;]+,[^,;]+$")]
    public string[]? AffectedObject { get; set; }

    private IncrementalPull? incremental;

    protected override void EndProcessing()
    {
        if (CheckpointPath is not null || Follow)
        {
            incremental = new IncrementalPull(this);
            incremental.Run();
            return;
        }

        var query = BuildQuery();
        var session = ResolveSession();
        if (!TryRun(token => session.ListAsync(query, PagingParameters.Skip, PagingParameters.First, PageSize, Log, token), session.BaseUri, out var listing))
        {
            return;
        }

        if (PagingParameters.IncludeTotalCount)
        {
            // The API has no total; say so rather than guess.
            WriteObject(PagingParameters.NewTotalCount(0, 0.0));
        }

        using var pager = listing;
        using var progress = new ProgressReporter(this, 1, $"Listing the audit log of {session.BaseUri}");
        var wanted = PagingParameters.First == ulong.MaxValue ? (long?)null : (long)Math.Min(PagingParameters.First, long.MaxValue);
        while (TryRun(token => pager.NextPageAsync(Log, token), session.BaseUri, out var page) && page is not null)
        {
            foreach (var record in page)
            {
                WriteObject(record);
            }

            progress.Report(pager.RecordsReturned, wanted, "records");
        }

        WriteVerbose($"Listed {pager.RecordsReturned} records in {pager.PagesRequested} requests.");
    }

    internal override void OnPipelineEnded() => incremental?.PipelineEnded();

    /// <summary>Data Center's own filters, or null when none was given.</summary>
    internal DataCenterFilters? Filters() => new DataCenterFilters
    {
        Categories = Category ?? Array.Empty<string>(),
        Actions = Action ?? Array.Empty<string>(),
        AuthorIds = AuthorId ?? Array.Empty<string>(),
        AffectedObjects = AffectedObject ?? Array.Empty<string>(),
    } is { IsEmpty: false } filters ? filters : null;

    private AuditQuery BuildQuery()
    {
        if (ParameterSetName == SinceSet)
        {
            return AuditQuery.Since(Last, Unit, SearchString).WithFilters(Filters());
        }

        var query = BuildRangeQuery(StartDate, EndDate, SearchString).WithFilters(Filters());
        if (query.EndDate is null && (query.StartDate is null || query.StartDate <= DateTimeOffset.Now))
        {
            // Records that arrive while a long listing runs would push the pages along; a fixed end keeps them out.
            query = query.WithEndDate(DateTimeOffset.Now);
            WriteVerbose($"Listing records up to {query.EndDate:u}, when the command started.");
        }

        return query;
    }
}
