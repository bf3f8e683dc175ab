using System;

namespace ConfluenceAudit.Models;

/// <summary>
/// One entry of the Confluence audit log, the same type whichever API it came from.
/// Every property is safe to read: the server's nulls become empty strings, empty lists or null objects.
/// </summary>
public sealed class ConfluenceAuditRecord
{
    /// <summary>What only Data Center's auditing framework records.</summary>
    internal sealed class DataCenterDetails
    {
        public string? CategoryKey { get; set; }

        public string? ActionKey { get; set; }

        public string? Method { get; set; }

        public string? Node { get; set; }

        public AuditList<AuditExtra>? ExtraAttributes { get; set; }
    }

    internal ConfluenceAuditRecord(
        DateTimeOffset? creationDate,
        string summary,
        string description,
        string category,
        string remoteAddress,
        bool sysAdmin,
        bool superAdmin,
        AuditAuthor? author,
        AuditObject? affectedObject,
        AuditList<AuditChangedValue> changedValues,
        AuditList<AuditObject> associatedObjects,
        DataCenterDetails? dataCenter = null)
    {
        CreationDate = creationDate;
        Summary = summary;
        Description = description;
        Category = category;
        RemoteAddress = remoteAddress;
        SysAdmin = sysAdmin;
        SuperAdmin = superAdmin;
        Author = author;
        AffectedObject = affectedObject;
        ChangedValues = changedValues;
        AssociatedObjects = associatedObjects;
        CategoryKey = dataCenter?.CategoryKey;
        ActionKey = dataCenter?.ActionKey;
        Method = dataCenter?.Method;
        Node = dataCenter?.Node;
        ExtraAttributes = dataCenter?.ExtraAttributes ?? AuditList<AuditExtra>.Empty;
    }

    /// <summary>When the audited event happened, in the local time zone (the instant is exact to the millisecond).</summary>
    public DateTimeOffset? CreationDate { get; }

    /// <summary>
    /// The same instant as ISO 8601 UTC text to the millisecond (2026-03-02T10:15:00.125Z): what a SIEM expects, and
    /// how a file written by Export-Csv keeps the milliseconds that CreationDate's text form drops.
    /// </summary>
    public string CreationDateUtc => CreationDate is DateTimeOffset date ? AuditText.IsoUtc(date) : string.Empty;

    public string Category { get; }

    public string Summary { get; }

    public string Description { get; }

    public AuditAuthor? Author { get; }

    /// <summary>The client's IP address; empty for events the system raised itself.</summary>
    public string RemoteAddress { get; }

    public bool SysAdmin { get; }

    public bool SuperAdmin { get; }

    public AuditObject? AffectedObject { get; }

    public AuditList<AuditChangedValue> ChangedValues { get; }

    public AuditList<AuditObject> AssociatedObjects { get; }

    /// <summary>Data Center: the language-independent key of the category (match on this, the text is localised). Empty on Cloud.</summary>
    public string? CategoryKey { get; }

    /// <summary>Data Center: the language-independent key of the action (Summary holds its localised text). Empty on Cloud.</summary>
    public string? ActionKey { get; }

    /// <summary>Data Center: how the event was caused, such as Browser or System. Empty on Cloud.</summary>
    public string? Method { get; }

    /// <summary>Data Center: the cluster node that recorded the event. Empty on Cloud.</summary>
    public string? Node { get; }

    /// <summary>Data Center: the event's extra attributes. Empty on Cloud.</summary>
    public AuditList<AuditExtra> ExtraAttributes { get; }

    public override string ToString() =>
        (CreationDate?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty) + " " + Category + ": " + Summary;
}
