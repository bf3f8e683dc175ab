using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ConfluenceAudit.Reporting;

/// <summary>
/// Writes an <see cref="AuditReport"/> as one self-contained HTML page: inline style, inline SVG charts, a few lines
/// of inline script, nothing fetched. Every value from a record goes through <see cref="HtmlText"/>.
/// </summary>
internal static class HtmlReportWriter
{
    private const int TopCount = 10;
    private const int ChartCategories = 15;

    public static void Write(TextWriter w, AuditReport report, ReportContext context)
    {
        w.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        w.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {0}\">\n", ReportAssets.ScriptHash());
        w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"ConfluenceAudit\">\n<title>");
        HtmlText.Write(w, context.Title);
        w.Write("</title>\n<style>");
        w.Write(ReportAssets.Style);
        w.Write("</style>\n</head>\n<body>\n");
        Header(w, report, context);
        w.Write("<main>\n");
        Totals(w, report);
        Activity(w, report);
        Categories(w, report);
        People(w, report);
        ReportSensitive.Write(w, report);
        OutsideHours(w, report);
        ReportRecords.Write(w, report);
        w.Write("</main>\n<footer><p>Written by the ConfluenceAudit PowerShell module (Export-ConfluenceAuditReport). The page makes no network request and works without script.</p></footer>\n");
        w.Write("<script>");
        w.Write(ReportAssets.Script);
        w.Write("</script>\n</body>\n</html>\n");
    }

    /// <summary>"2026-03-02 10:15:00" on the report's clock.</summary>
    public static string Time(AuditReport report, DateTimeOffset? instant) =>
        instant is DateTimeOffset at ? report.ToLocal(at).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "(no date)";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A table of names and counts, with the share of <paramref name="total"/>.</summary>
    public static void CountTable(TextWriter w, string id, string caption, string nameHeader, IEnumerable<KeyValuePair<string, long>> rows, long total)
    {
        w.Write("<table id=\"{0}\">\n<caption>", id);
        HtmlText.Write(w, caption);
        w.Write("</caption>\n<thead><tr><th scope=\"col\">");
        HtmlText.Write(w, nameHeader);
        w.Write("</th><th scope=\"col\" class=\"num\">Records</th><th scope=\"col\" class=\"num\">Share</th></tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            w.Write("<tr><th scope=\"row\">");
            HtmlText.Write(w, row.Key);
            w.Write("</th><td class=\"num\" data-count=\"{0}\">{1}</td><td class=\"num\">{2}</td></tr>\n", row.Value, Count(row.Value), Share(row.Value, total));
        }

        w.Write("</tbody>\n</table>\n");
    }

    public static string Share(long part, long total) =>
        total == 0 ? "0 %" : (part * 100.0 / total).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static void Header(TextWriter w, AuditReport report, ReportContext context)
    {
        w.Write("<header>\n<h1>");
        HtmlText.Write(w, context.Title);
        w.Write("</h1>\n<dl class=\"facts\">\n");
        Fact(w, "Site", context.Site ?? "not named (records were given without a connection)");
        Fact(w, "Deployment", context.Deployment ?? "not known");
        if (context.RecordsGiven)
        {
            var span = report.Earliest is null ? "no dated record" : Time(report, report.Earliest) + " to " + Time(report, report.Latest);
            Fact(w, "Records", "given on the pipeline (" + Count(report.Total) + "), not read as a range; they span " + span);
        }
        else
        {
            Fact(w, "Range", context.Range ?? "the whole log");
        }

        if (context.SearchString is not null)
        {
            Fact(w, "Search", context.SearchString);
        }

        Fact(w, "Generated", Time(report, context.GeneratedAt));
        Fact(w, "Time zone", ZoneName(report.TimeZone, context.GeneratedAt) + "; every time in this report is on this clock");
        Fact(w, "Working hours", report.WorkingHours.ToString());
        w.Write("</dl>\n</header>\n");
    }

    private static void Fact(TextWriter w, string name, string value)
    {
        w.Write("<dt>");
        HtmlText.Write(w, name);
        w.Write("</dt><dd data-fact=\"");
        HtmlText.Write(w, name);
        w.Write("\">");
        HtmlText.Write(w, value);
        w.Write("</dd>\n");
    }

    private static string ZoneName(TimeZoneInfo zone, DateTimeOffset at)
    {
        var offset = zone.GetUtcOffset(at);
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return zone.Id + " (UTC" + sign + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture) + ")";
    }

    private static void Totals(TextWriter w, AuditReport report)
    {
        w.Write("<section aria-labelledby=\"totals-heading\">\n<h2 id=\"totals-heading\">Totals</h2>\n<ul class=\"totals\">\n");
        Total(w, "total-records", "Records", report.Total);
        Total(w, "total-sensitive", "Sensitive events", report.SensitiveTotal);
        Total(w, "total-outside", "Outside working hours", report.OutsideHoursTotal);
        Total(w, "total-authors", "Authors", report.Authors.Distinct);
        Total(w, "total-addresses", "Source addresses", report.Addresses.Distinct);
        Total(w, "total-categories", "Categories", report.Categories.Distinct);
        w.Write("</ul>\n");
        if (report.Undated > 0)
        {
            w.Write("<p class=\"note\">{0} records had no date: they count in the totals, not in the figures over time.</p>\n", Count(report.Undated));
        }

        if (report.Authors.IsApproximate || report.Addresses.IsApproximate)
        {
            w.Write("<p class=\"note\">There were too many different authors or addresses to count each exactly: the distinct counts are lower bounds, and the top lists' counts may be low by at most {0}.</p>\n",
                Count(Math.Max(report.Authors.MaxDropped, report.Addresses.MaxDropped)));
        }

        w.Write("</section>\n");
    }

    private static void Total(TextWriter w, string id, string name, long value)
    {
        w.Write("<li><span class=\"value\" id=\"{0}\" data-count=\"{1}\">{2}</span> ", id, value, Count(value));
        HtmlText.Write(w, name);
        w.Write("</li>\n");
    }

    private static void Activity(TextWriter w, AuditReport report)
    {
        var hourly = report.Hourly;
        var unit = hourly ? "hour" : "day";
        var format = hourly ? "yyyy-MM-dd HH:00" : "yyyy-MM-dd";
        var bars = report.Activity().Select(b => new KeyValuePair<string, long>(b.Key.ToString(format, CultureInfo.InvariantCulture), b.Value)).ToList();
        w.Write("<section aria-labelledby=\"activity-heading\">\n<h2 id=\"activity-heading\">Activity per {0}</h2>\n", unit);
        if (bars.Count == 0)
        {
            w.Write("<p>No dated records.</p>\n</section>\n");
            return;
        }

        var busiest = bars.OrderByDescending(b => b.Value).First();
        SvgCharts.Columns(w, "activity-chart", "Records per " + unit,
            $"{bars.Count} {unit}s from {bars[0].Key} to {bars[bars.Count - 1].Key}; the busiest, {busiest.Key}, had {Count(busiest.Value)} records. The table below lists every {unit}.",
            bars);
        w.Write("<details>\n<summary>Records per {0}, as a table</summary>\n", unit);
        CountTable(w, "activity-table", "Records per " + unit, unit == "day" ? "Day" : "Hour", bars, report.Total - report.Undated);
        w.Write("</details>\n</section>\n");
    }

    private static void Categories(TextWriter w, AuditReport report)
    {
        var all = report.Categories.Top(int.MaxValue);
        w.Write("<section aria-labelledby=\"categories-heading\">\n<h2 id=\"categories-heading\">Records by category</h2>\n");
        var shown = all.Take(ChartCategories).ToList();
        SvgCharts.Bars(w, "category-chart", "Records by category",
            all.Count > ChartCategories ? $"The {ChartCategories} largest of {all.Count} categories; the table lists all." : $"{all.Count} categories; the table lists the same figures.",
            shown);
        CountTable(w, "category-table", "Records by category", "Category", all, report.Total);
        w.Write("</section>\n");
    }

    private static void People(TextWriter w, AuditReport report)
    {
        w.Write("<section aria-labelledby=\"people-heading\">\n<h2 id=\"people-heading\">Top authors and source addresses</h2>\n");
        CountTable(w, "author-table", $"The {TopCount} most active authors", "Author", report.Authors.Top(TopCount), report.Total);
        CountTable(w, "address-table", $"The {TopCount} most frequent source addresses", "Source address", report.Addresses.Top(TopCount), report.Total);
        w.Write("</section>\n");
    }

    private static void OutsideHours(TextWriter w, AuditReport report)
    {
        w.Write("<section aria-labelledby=\"outside-heading\">\n<h2 id=\"outside-heading\">Activity outside working hours</h2>\n<p>");
        w.Write("{0} of {1} dated records ({2}) happened outside working hours (", Count(report.OutsideHoursTotal), Count(report.Total - report.Undated), Share(report.OutsideHoursTotal, report.Total - report.Undated));
        HtmlText.Write(w, report.WorkingHours.ToString());
        w.Write(", {0}). The records table marks them <span class=\"flag outside\">Outside hours</span>.</p>\n", HtmlText.Escape(report.TimeZone.Id));
        CountTable(w, "outside-kind-table", "Sensitive events outside working hours", "Kind", report.OutsideHoursSensitiveByKind.Where(p => p.Value > 0), report.OutsideHoursTotal);
        CountTable(w, "outside-author-table", $"The {TopCount} most active authors outside working hours", "Author", report.OutsideHoursAuthors.Top(TopCount), report.OutsideHoursTotal);
        w.Write("</section>\n");
    }
}
