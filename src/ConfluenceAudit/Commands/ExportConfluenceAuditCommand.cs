using System;
using System.IO;
using System.Management.Automation;
using ConfluenceAudit.Models;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>
/// Saves the audit log as the server exports it (CSV, or ZIP holding the CSV), streamed to disk in constant memory.
/// The file appears only when complete: the download goes to a hidden file beside it, which replaces the
/// target only at the end, so a failure or Ctrl+C leaves no partial file and never destroys an existing one.
/// </summary>
[Cmdlet(VerbsData.Export, "ConfluenceAudit", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportConfluenceAuditCommand : ConfluenceAuditApiCmdlet
{
    internal const string PathSet = "Path";
    internal const string LiteralPathSet = "LiteralPath";
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string? LiteralPath { get; set; }

    /// <summary>Csv or Zip; by default Zip when the file name ends in .zip, else Csv.</summary>
    [Parameter]
    public AuditExportFormat? Format { get; set; }

    [Parameter]
    public DateTime? StartDate { get; set; }

    [Parameter]
    public DateTime? EndDate { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SearchString { get; set; }

    /// <summary>Do not replace an existing file.</summary>
    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Replace an existing file even when it is read-only.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var given = ParameterSetName == LiteralPathSet ? LiteralPath! : Path!;
        var target = OutputFilePath.Resolve(this, given, NoClobber, Force, "Export", "audit.csv");
        var format = Format ?? (target.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? AuditExportFormat.Zip : AuditExportFormat.Csv);
        var query = BuildRangeQuery(StartDate, EndDate, SearchString);
        var session = ResolveSession();
        if (!ShouldProcess(target, $"Export the audit log of {session.BaseUri} as {format}"))
        {
            return;
        }

        if (!TryRunWithProgress($"Exporting the audit log of {session.BaseUri}",
            token => session.ExportAsync(query, format, target, Force, Log, token), session.BaseUri, out _))
        {
            return;
        }

        var file = new FileInfo(target);
        WriteVerbose($"Exported {file.Length:N0} bytes to {target}.");
        if (PassThru)
        {
            WriteObject(file);
        }
    }
}
