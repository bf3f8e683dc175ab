using System.Globalization;
using System.Text;
using System.Text.Json;
using ConfluenceAudit.Emulator.Http;

namespace ConfluenceAudit.Emulator.AuditResource;

/// <summary>The audit export's columns and how a stored record becomes a row.</summary>
internal static class AuditCsv
{
    public static readonly string[] Header =
    [
        "Author", "Author Account Id", "Remote Address", "Creation Date", "Summary", "Description",
        "Category", "Sys Admin", "Affected Object", "Changed Values", "Associated Objects",
    ];

    public static void WriteHeader(CsvWriter csv)
    {
        foreach (string column in Header)
        {
            csv.Field(column);
        }

        csv.EndRow();
    }

    /// <summary>One row from a record's stored JSON. Nested values are flattened to readable text:
    /// "name (type)" for objects, "name: old -> new" for changes, several joined by "; ".</summary>
    public static void WriteRow(CsvWriter csv, ReadOnlyMemory<byte> json)
    {
        AuditRecord r = JsonSerializer.Deserialize(json.Span, EmulatorJson.Audit.AuditRecord)
            ?? throw new InvalidOperationException("A stored record deserialized to null.");
        csv.Field(r.Author.DisplayName);
        csv.Field(r.Author.AccountId);
        csv.Field(r.RemoteAddress);
        csv.Field(IsoUtc(r.CreationDate));
        csv.Field(r.Summary);
        csv.Field(r.Description);
        csv.Field(r.Category);
        csv.Field(r.SysAdmin ? "true" : "false");
        csv.Field(ObjectText(r.AffectedObject));
        csv.Field(Join(r.ChangedValues.Select(ChangeText)));
        csv.Field(Join(r.AssociatedObjects.Select(ObjectText)));
        csv.EndRow();
    }

    /// <summary>ISO 8601 in UTC with milliseconds, e.g. 2026-03-02T10:15:00.125Z.</summary>
    public static string IsoUtc(long epochMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string ObjectText(AffectedObject o) =>
        o.Name.Length == 0 && o.ObjectType.Length == 0 ? "" : $"{o.Name} ({o.ObjectType})";

    private static string ChangeText(ChangedValue c)
    {
        var text = new StringBuilder(c.Name).Append(": ").Append(c.OldValue).Append(" -> ").Append(c.NewValue);
        return text.ToString();
    }

    private static string Join(IEnumerable<string> parts) => string.Join("; ", parts.Where(p => p.Length > 0));
}
