using System;

namespace ConfluenceAudit.Models
{
    /// <summary>An object an audit record is about: a space, a page, a user, a group...</summary>
    public sealed class AuditObject
    {
        public AuditObject(string name, string objectType)
        {
            Name = name ?? string.Empty;
            ObjectType = objectType ?? string.Empty;
        }

        public string Name { get; }

        public string ObjectType { get; }

        /// <summary>True when the server sent nothing meaningful (Confluence sends {"name":"","objectType":""}).</summary>
        public bool IsEmpty => Name.Length == 0 && ObjectType.Length == 0;

        /// <summary>"ENG (Space)": what Export-Csv and string conversion show.</summary>
        public override string ToString()
        {
            if (IsEmpty)
            {
                return string.Empty;
            }

            return ObjectType.Length == 0 ? Name : Name + " (" + ObjectType + ")";
        }

        internal string ToKey() => Name + "\u001f" + ObjectType;

        internal static bool IsNullOrEmpty(AuditObject? value) => value is null || value.IsEmpty;

        internal bool ContentEquals(AuditObject? other) =>
            other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal) &&
            string.Equals(ObjectType, other.ObjectType, StringComparison.Ordinal);
    }
}
