using System;

namespace ConfluenceAudit.Models;

/// <summary>An object an audit record is about: a space, a page, a user, a group...</summary>
public sealed class AuditObject
{
    public AuditObject(string name, string objectType, string? id = null, string? uri = null)
    {
        Name = name ?? string.Empty;
        ObjectType = objectType ?? string.Empty;
        Id = string.IsNullOrEmpty(id) ? null : id;
        Uri = string.IsNullOrEmpty(uri) ? null : uri;
    }

    public string Name { get; }

    public string ObjectType { get; }

    /// <summary>The object's id on Data Center (a space's id, say); empty on Cloud.</summary>
    public string? Id { get; }

    /// <summary>The object's address on Data Center; empty on Cloud.</summary>
    public string? Uri { get; }

    /// <summary>True when the server sent nothing meaningful (Confluence sends {"name":"","objectType":""}).</summary>
    public bool IsEmpty => Name.Length == 0 && ObjectType.Length == 0;

    /// <summary>"ENG (Space)": what Export-Csv and string conversion show.</summary>
    public override string ToString()
    {
        if (IsEmpty)
        {
            return string.Empty;
        }

        // Parentheses in the name are escaped, so the first unescaped " (" always starts the type.
        var name = AuditText.Escape(Name, "()");
        return ObjectType.Length == 0 ? name : name + " (" + AuditText.Escape(ObjectType, "()") + ")";
    }

    /// <summary>Reads the string form back: "ENG (Space)" is Name ENG, ObjectType Space.</summary>
    internal static AuditObject Parse(string text)
    {
        text = text.Trim();
        var open = AuditText.IndexOfUnescaped(text, " (");
        if (open >= 0 && text.EndsWith(")", System.StringComparison.Ordinal))
        {
            return new AuditObject(AuditText.Unescape(text.Substring(0, open)), AuditText.Unescape(text.Substring(open + 2, text.Length - open - 3)));
        }

        return new AuditObject(AuditText.Unescape(text), string.Empty);
    }

    internal string ToKey() => Name + "\u001f" + ObjectType;

    internal static bool IsNullOrEmpty(AuditObject? value) => value is null || value.IsEmpty;

    internal bool ContentEquals(AuditObject? other) =>
        other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal) &&
        string.Equals(ObjectType, other.ObjectType, StringComparison.Ordinal);
}
