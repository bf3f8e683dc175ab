using System;

namespace ConfluenceAudit.Reporting;

/// <summary>What the report's tables show of one record; the record itself is not kept.</summary>
internal sealed class ReportRow
{
    public ReportRow(long sequence, DateTimeOffset? date, string category, string summary, string author, string address, string affectedObject, string? sensitiveKind, string? recognisedBy, bool outsideHours)
    {
        Sequence = sequence;
        Date = date;
        Category = category;
        Summary = summary;
        Author = author;
        Address = address;
        AffectedObject = affectedObject;
        SensitiveKind = sensitiveKind;
        RecognisedBy = recognisedBy;
        OutsideHours = outsideHours;
    }

    /// <summary>The order in which the record arrived: ties of time keep it.</summary>
    public long Sequence { get; }

    public DateTimeOffset? Date { get; }

    public string Category { get; }

    public string Summary { get; }

    public string Author { get; }

    public string Address { get; }

    public string AffectedObject { get; }

    /// <summary>The kind of sensitive event (see <see cref="SensitiveEvents"/>), or null.</summary>
    public string? SensitiveKind { get; }

    public string? RecognisedBy { get; }

    public bool OutsideHours { get; }

    /// <summary>Newer first; of two records of the same instant, the one that arrived first (the server's order).</summary>
    public static int NewestFirst(ReportRow a, ReportRow b)
    {
        var byDate = Nullable.Compare(b.Date, a.Date);
        return byDate != 0 ? byDate : a.Sequence.CompareTo(b.Sequence);
    }
}
