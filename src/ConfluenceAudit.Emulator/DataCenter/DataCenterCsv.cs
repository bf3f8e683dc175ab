using System.Text.Json;
using ConfluenceAudit.Emulator.Http;

namespace ConfluenceAudit.Emulator.DataCenter;

/// <summary>The auditing framework's CSV (outputFormat=csv): a header row, then one row per event, newest first.
/// Nested values are flattened to text: "name (type, id)" for objects, "key: from -> to" for changes,
/// "name: value" for attributes, several joined by "; ".</summary>
internal static class DataCenterCsv
{
    public static readonly string[] Header =
    [
        "Date", "Author", "Author ID", "Author type", "Category", "Action", "Affected objects", "Changed values",
        "Source", "System", "Node", "Method", "Attributes",
    ];

    public static void WriteHeader(CsvWriter csv)
    {
        foreach (string column in Header)
        {
            csv.Field(column);
        }

        csv.EndRow();
    }

    public static void WriteRow(CsvWriter csv, ReadOnlySpan<byte> json)
    {
        DataCenterEntity e = JsonSerializer.Deserialize(json, EmulatorJson.Audit.DataCenterEntity)
            ?? throw new InvalidOperationException("A stored event deserialized to null.");
        csv.Field(e.Timestamp);
        csv.Field(e.Author.Name);
        csv.Field(e.Author.Id);
        csv.Field(e.Author.Type);
        csv.Field(e.Type.Category);
        csv.Field(e.Type.Action);
        csv.Field(string.Join("; ", e.AffectedObjects.Select(o => o.Id is null ? $"{o.Name} ({o.Type})" : $"{o.Name} ({o.Type}, {o.Id})")));
        csv.Field(string.Join("; ", e.ChangedValues.Select(c => $"{c.Key}: {c.From} -> {c.To}")));
        csv.Field(e.Source);
        csv.Field(e.SystemUrl);
        csv.Field(e.Node);
        csv.Field(e.Method);
        csv.Field(string.Join("; ", e.ExtraAttributes.Select(a => $"{a.Name}: {a.Value}")));
        csv.EndRow();
    }
}
