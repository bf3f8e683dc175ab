using System.IO;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Reporting;

/// <summary>The report's records table: the newest records, sortable and filterable when script runs.</summary>
internal static class ReportRecords
{
    public static void Write(TextWriter w, AuditReport report)
    {
        var rows = report.Rows.NewestFirst();
        w.Write("<section aria-labelledby=\"records-heading\">\n<h2 id=\"records-heading\">Records</h2>\n");
        if (report.Rows.IsCapped)
        {
            w.Write("<p class=\"note\" id=\"records-capped\">The table shows the newest {0} of {1} records; every chart and count above covers all {1}.</p>\n",
                HtmlReportWriter.Count(rows.Count), HtmlReportWriter.Count(report.Rows.Offered));
        }
        else
        {
            w.Write("<p class=\"note\">All {0} records, newest first. Select a column heading to sort by it.</p>\n", HtmlReportWriter.Count(rows.Count));
        }

        w.Write("<div class=\"filter\" id=\"records-filter\" hidden><label for=\"records-filter-text\">Show only rows containing</label> <input type=\"search\" id=\"records-filter-text\"> <span id=\"records-filter-status\" role=\"status\"></span></div>\n");
        w.Write("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Records, scrollable\">\n<table id=\"records\">\n<caption>Audit records</caption>\n");
        w.Write("<thead><tr><th scope=\"col\" aria-sort=\"descending\">Time</th><th scope=\"col\">Category</th><th scope=\"col\">Summary</th><th scope=\"col\">Author</th><th scope=\"col\">Source address</th><th scope=\"col\">Affected object</th><th scope=\"col\">Flags</th></tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            w.Write("<tr><td data-sort=\"");
            w.Write(row.Date is { } date ? AuditText.IsoUtc(date) : string.Empty);
            w.Write("\">{0}</td><td>", HtmlReportWriter.Time(report, row.Date));
            HtmlText.Write(w, row.Category);
            HtmlText.WriteCells(w, row.Summary, row.Author, row.Address, row.AffectedObject);
            w.Write("</td><td>");
            if (row.SensitiveKind is not null)
            {
                w.Write("<span class=\"flag sensitive\">Sensitive: ");
                HtmlText.Write(w, row.SensitiveKind);
                w.Write("</span>");
            }

            if (row.OutsideHours)
            {
                w.Write("<span class=\"flag outside\">Outside hours</span>");
            }

            w.Write("</td></tr>\n");
        }

        w.Write("</tbody>\n</table>\n</div>\n</section>\n");
    }
}
