using System.IO;
using System.Linq;

namespace ConfluenceAudit.Reporting;

/// <summary>The report's section on sensitive events: counts per kind, how each kind is recognised, and the events.</summary>
internal static class ReportSensitive
{
    public static void Write(TextWriter w, AuditReport report)
    {
        w.Write("<section aria-labelledby=\"sensitive-heading\">\n<h2 id=\"sensitive-heading\">Sensitive events</h2>\n");
        w.Write("<p>{0} of {1} records ({2}) are sensitive events: changes to permissions, groups, global settings and security, apps, the audit log's own configuration, exports, user deactivations and admin grants, and failed or suspicious logins. The records table marks them <span class=\"flag sensitive\">Sensitive</span>.</p>\n",
            HtmlReportWriter.Count(report.SensitiveTotal), HtmlReportWriter.Count(report.Total), HtmlReportWriter.Share(report.SensitiveTotal, report.Total));
        HtmlReportWriter.CountTable(w, "sensitive-kind-table", "Sensitive events by kind", "Kind", report.SensitiveByKind, report.Total);

        w.Write("<details>\n<summary>How sensitive events are recognised</summary>\n<table id=\"sensitive-rules\">\n<caption>A record is of a kind when its summary or action key, or else its category or category key, contains one of the kind's terms, or a changed value's new value is one of them (the first kind that matches wins)</caption>\n");
        w.Write("<thead><tr><th scope=\"col\">Kind</th><th scope=\"col\">Summary and action key terms</th><th scope=\"col\">Category terms</th><th scope=\"col\">New values</th></tr></thead>\n<tbody>\n");
        foreach (var rule in SensitiveEvents.Rules)
        {
            w.Write("<tr><th scope=\"row\">");
            HtmlText.Write(w, rule.Kind);
            w.Write("</th><td>");
            HtmlText.Write(w, string.Join(", ", rule.SummaryTerms));
            HtmlText.WriteCells(w, string.Join(", ", rule.CategoryTerms), string.Join(", ", rule.NewValueTerms));
            w.Write("</td></tr>\n");
        }

        w.Write("</tbody>\n</table>\n</details>\n");

        var rows = report.SensitiveRows.NewestFirst();
        if (rows.Count == 0)
        {
            w.Write("<p>No sensitive event.</p>\n</section>\n");
            return;
        }

        w.Write("<h3>The sensitive events</h3>\n");
        if (report.SensitiveRows.IsCapped)
        {
            w.Write("<p class=\"note\" id=\"sensitive-capped\">The newest {0} of {1} sensitive events are listed; the counts above cover all of them.</p>\n",
                HtmlReportWriter.Count(rows.Count), HtmlReportWriter.Count(report.SensitiveRows.Offered));
        }

        w.Write("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Sensitive events, scrollable\">\n<table id=\"sensitive-events\">\n<caption>Sensitive events, newest first</caption>\n");
        w.Write("<thead><tr><th scope=\"col\">Time</th><th scope=\"col\">Kind</th><th scope=\"col\">Recognised by</th><th scope=\"col\">Summary</th><th scope=\"col\">Author</th><th scope=\"col\">Source address</th></tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            w.Write("<tr><td>{0}</td><td>", HtmlReportWriter.Time(report, row.Date));
            HtmlText.Write(w, row.SensitiveKind);
            if (row.OutsideHours)
            {
                w.Write(" <span class=\"flag outside\">Outside hours</span>");
            }

            HtmlText.WriteCells(w, row.RecognisedBy, row.Summary, row.Author, row.Address);
            w.Write("</td></tr>\n");
        }

        w.Write("</tbody>\n</table>\n</div>\n</section>\n");
    }
}
