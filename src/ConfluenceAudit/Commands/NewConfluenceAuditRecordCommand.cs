using System;
using System.Management.Automation;
using ConfluenceAudit.Models;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>
/// Adds a record to the audit log (POST /audit), from parameters or from piped records or CSV rows. Only the
/// fields given are sent. The request is sent once and never retried: creating a record is not idempotent.
/// </summary>
[Cmdlet(VerbsCommon.New, "ConfluenceAuditRecord", SupportsShouldProcess = true)]
[OutputType(typeof(ConfluenceAuditRecord))]
public sealed class NewConfluenceAuditRecordCommand : ConfluenceAuditApiCmdlet
{
    /// <summary>The IP address the event came from; the API requires one.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string RemoteAddress { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Summary { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Description { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Category { get; set; }

    /// <summary>When the event happened (DateTime or DateTimeOffset); the server stamps now when it is left out.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [InstantTransformation]
    public DateTimeOffset? CreationDate { get; set; }

    /// <summary>
    /// The CreationDateUtc column of a file Export-Csv wrote, which keeps the milliseconds; it takes precedence over
    /// -CreationDate. Hidden: it exists so that such files round-trip exactly.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    [InstantTransformation]
    public DateTimeOffset? CreationDateUtc { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [BooleanTextTransformation]
    public SwitchParameter SysAdmin { get; set; }

    /// <summary>The author's display name; a piped record's Author binds here.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Author")]
    [AuthorNameTransformation]
    public string? AuthorName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AuditObjectTransformation]
    public AuditObject? AffectedObject { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ChangedValues")]
    [ChangedValueTransformation]
    public AuditChangedValue[]? ChangedValue { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("AssociatedObjects")]
    [AuditObjectListTransformation]
    public AuditObject[]? AssociatedObject { get; set; }

    protected override void ProcessRecord()
    {
        if (string.IsNullOrWhiteSpace(RemoteAddress))
        {
            // Non-terminating: among piped records, the others can still be created.
            WriteError(ErrorRecords.Create("AuditRecordRemoteAddressMissing", ErrorCategory.InvalidArgument,
                "The record has no remote address, and the API requires one, so it cannot be created" +
                (string.IsNullOrEmpty(Summary) ? "." : $" ('{Summary}').") + " Pass -RemoteAddress with the IP address the event came from.",
                Summary));
            return;
        }

        var record = new NewAuditRecord(RemoteAddress.Trim())
        {
            Summary = IfBound(nameof(Summary), Summary),
            Description = IfBound(nameof(Description), Description),
            Category = IfBound(nameof(Category), Category),
            CreationDate = IsBound(nameof(CreationDateUtc)) && CreationDateUtc.HasValue ? CreationDateUtc : IsBound(nameof(CreationDate)) ? CreationDate : null,
            SysAdmin = IsBound(nameof(SysAdmin)) ? SysAdmin.IsPresent : (bool?)null,
            AuthorName = string.IsNullOrEmpty(AuthorName) ? null : AuthorName,
            AffectedObject = AffectedObject,
            ChangedValues = ChangedValue is { Length: > 0 } ? ChangedValue : null,
            AssociatedObjects = AssociatedObject is { Length: > 0 } ? AssociatedObject : null,
        };

        var session = ResolveSession();
        var description = string.IsNullOrEmpty(record.Summary) ? "audit record from " + record.RemoteAddress : $"audit record '{record.Summary}'";
        if (!ShouldProcess(session.BaseUri.AbsoluteUri, "Create " + description))
        {
            return;
        }

        try
        {
            if (TryRun(token => session.CreateRecordAsync(record, Log, token), session.BaseUri, out var created))
            {
                WriteObject(created);
            }
        }
        catch (PipelineStoppedException) when (IsStopping)
        {
            // Ctrl+C while the request was out: nobody knows whether it arrived. (-ErrorAction Stop also unwinds
            // with this exception, but then the error has already said what happened.)
            WriteWarning($"Stopped while creating the {description}: it may have been created. Check with Get-ConfluenceAuditRecord -SearchString before creating it again.");
            throw;
        }
    }

    private bool IsBound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

    private string? IfBound(string name, string? value) => IsBound(name) ? value : null;
}
