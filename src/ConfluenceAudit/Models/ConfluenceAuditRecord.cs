using System;

namespace ConfluenceAudit.Models
{
    /// <summary>
    /// One entry of the Confluence audit log, the same type whichever API it came from.
    /// Every property is safe to read: the server's nulls become empty strings, empty lists or null objects.
    /// </summary>
    public sealed class ConfluenceAuditRecord
    {
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
            AuditList<AuditObject> associatedObjects)
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
        }

        /// <summary>When the audited event happened, in the local time zone (the instant is exact to the millisecond).</summary>
        public DateTimeOffset? CreationDate { get; }

        /// <summary>
        /// The same instant as ISO 8601 UTC text to the millisecond (2026-03-02T10:15:00.125Z): what a SIEM expects, and
        /// how a file written by Export-Csv keeps the milliseconds that CreationDate's text form drops.
        /// </summary>
        public string CreationDateUtc => CreationDate?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

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

        public override string ToString() =>
            (CreationDate?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty) + " " + Category + ": " + Summary;
    }
}
