namespace ConfluenceAudit.Models;

/// <summary>An extra attribute of a Data Center audit event (Data Center's auditing framework only).</summary>
public sealed class AuditExtra
{
    internal AuditExtra(string name, string? nameKey, string value)
    {
        Name = name;
        NameKey = nameKey;
        Value = value;
    }

    /// <summary>The attribute's name, in the server's language.</summary>
    public string Name { get; }

    /// <summary>The language-independent key of the name.</summary>
    public string? NameKey { get; }

    public string Value { get; }

    public override string ToString() => AuditText.Escape(Name, ":") + ": " + AuditText.Escape(Value, string.Empty);
}
