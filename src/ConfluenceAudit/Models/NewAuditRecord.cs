using System;
using System.Collections.Generic;

namespace ConfluenceAudit.Models;

/// <summary>
/// The fields of a record to create (AuditRecordCreate). Null means "not given": only what the user gave is
/// sent, so the server applies its own defaults (now for creationDate, false for sysAdmin) to the rest.
/// </summary>
internal sealed class NewAuditRecord
{
    public NewAuditRecord(string remoteAddress)
    {
        RemoteAddress = remoteAddress;
    }

    public string RemoteAddress { get; }

    public string? Summary { get; set; }

    public string? Description { get; set; }

    public string? Category { get; set; }

    public DateTimeOffset? CreationDate { get; set; }

    public bool? SysAdmin { get; set; }

    public string? AuthorName { get; set; }

    public AuditObject? AffectedObject { get; set; }

    public IReadOnlyList<AuditChangedValue>? ChangedValues { get; set; }

    public IReadOnlyList<AuditObject>? AssociatedObjects { get; set; }
}
