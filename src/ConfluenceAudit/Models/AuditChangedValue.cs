using System;

namespace ConfluenceAudit.Models;

/// <summary>One value an audited change modified.</summary>
public sealed class AuditChangedValue
{
    public AuditChangedValue(string name, string oldValue, string newValue, string? hiddenOldValue = null, string? hiddenNewValue = null)
    {
        Name = name ?? string.Empty;
        OldValue = oldValue ?? string.Empty;
        NewValue = newValue ?? string.Empty;
        HiddenOldValue = hiddenOldValue;
        HiddenNewValue = hiddenNewValue;
    }

    public string Name { get; }

    public string OldValue { get; }

    public string NewValue { get; }

    public string? HiddenOldValue { get; }

    public string? HiddenNewValue { get; }

    /// <summary>"Permission: view -> edit", readable in a table cell or a CSV column.</summary>
    public override string ToString() => AuditText.Escape(Name, ":") + Separator + AuditText.Escape(OldValue, ">") + Arrow + AuditText.Escape(NewValue, ">");

    private const string Separator = ": ";
    private const string Arrow = " -> ";

    /// <summary>Reads the string form back; null when it is not "Name: old -> new".</summary>
    internal static AuditChangedValue? Parse(string text)
    {
        var colon = AuditText.IndexOfUnescaped(text, Separator);
        var arrow = colon < 0 ? -1 : AuditText.IndexOfUnescaped(text, Arrow, colon + Separator.Length);
        if (arrow < 0 && colon >= 0 && text.EndsWith(Arrow.TrimEnd(), StringComparison.Ordinal))
        {
            // "Name: old ->" once something trimmed the trailing space of an empty new value.
            text += " ";
            arrow = AuditText.IndexOfUnescaped(text, Arrow, colon + Separator.Length);
        }

        if (arrow < 0)
        {
            return null;
        }

        return new AuditChangedValue(
            AuditText.Unescape(text.Substring(0, colon).Trim()),
            AuditText.Unescape(text.Substring(colon + Separator.Length, arrow - colon - Separator.Length)),
            AuditText.Unescape(text.Substring(arrow + Arrow.Length)));
    }
}
