using System;

namespace ConfluenceAudit.Reporting;

/// <summary>What a report says about itself: its title, the site, what was read, and when.</summary>
internal sealed class ReportContext
{
    public ReportContext(string title, DateTimeOffset generatedAt)
    {
        Title = title;
        GeneratedAt = generatedAt;
    }

    public string Title { get; }

    public DateTimeOffset GeneratedAt { get; }

    /// <summary>The site's address, or null when records were given without a connection.</summary>
    public string? Site { get; set; }

    /// <summary>Cloud or DataCenter, or null when not known.</summary>
    public string? Deployment { get; set; }

    /// <summary>True when the records came from the pipeline: the report then covers the records given, not a range.</summary>
    public bool RecordsGiven { get; set; }

    /// <summary>The range read, in words ("2026-01-01 00:00 to 2026-04-01 00:00"); null for records given.</summary>
    public string? Range { get; set; }

    public string? SearchString { get; set; }
}
