using System.Globalization;
using ConfluenceAudit.Models;
using ConfluenceAudit.Reporting;

namespace ConfluenceAudit.Tests;

/// <summary>The report's aggregation, its sensitive-event table, working hours and escaping, without PowerShell.</summary>
public sealed class ReportingTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    internal static ConfluenceAuditRecord Record(DateTimeOffset? at, string category = "Content", string summary = "Page updated", string author = "Ada", string address = "10.0.0.1",
        string? categoryKey = null, string? actionKey = null, AuditChangedValue[]? changes = null) =>
        new(at, summary, string.Empty, category, address, false, false,
            new AuditAuthor(author, null, null, null, null, null, "user", false, false), new AuditObject("ENG", "Space"),
            new AuditList<AuditChangedValue>(changes ?? Array.Empty<AuditChangedValue>()), AuditList<AuditObject>.Empty,
            categoryKey is null && actionKey is null ? null : new ConfluenceAuditRecord.DataCenterDetails { CategoryKey = categoryKey, ActionKey = actionKey });

    private static AuditReport NewReport(int tableRows = AuditReport.DefaultTableRows) => new(TimeZoneInfo.Utc, WorkingHours.Default, tableRows);

    [Fact]
    public void Counts_Cover_Every_Record_Per_Category_And_Per_Day()
    {
        var report = NewReport();
        for (var i = 0; i < 100; i++)
        {
            report.Add(Record(Monday.AddHours(i), i % 3 == 0 ? "Permissions" : "Content", author: "A" + (i % 7)));
        }

        report.Add(Record(null));
        Assert.Equal(101, report.Total);
        Assert.Equal(1, report.Undated);
        Assert.Equal(new[] { ("Content", 67L), ("Permissions", 34L) }, report.Categories.Top(10).Select(p => (p.Key, p.Value)));
        Assert.False(report.Hourly);
        var days = report.Activity();
        Assert.Equal(5, days.Count);
        Assert.Equal(new long[] { 24, 24, 24, 24, 4 }, days.Select(d => d.Value));
        Assert.Equal(Monday.DateTime.Date, days[0].Key);
        Assert.Equal(8, report.Authors.Distinct); // A0..A6 and the undated record's Ada
    }

    [Fact]
    public void Less_Than_Three_Days_Are_Shown_Per_Hour_With_Empty_Hours()
    {
        var report = NewReport();
        report.Add(Record(Monday.AddHours(1)));
        report.Add(Record(Monday.AddHours(4).AddMinutes(59)));
        var hours = report.Activity();
        Assert.True(report.Hourly);
        Assert.Equal(new long[] { 1, 0, 0, 1 }, hours.Select(h => h.Value));
    }

    [Fact]
    public void The_Days_Follow_The_Reports_Time_Zone()
    {
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var report = new AuditReport(tokyo, WorkingHours.Default);
        report.Add(Record(new DateTimeOffset(2026, 3, 1, 20, 0, 0, TimeSpan.Zero)));
        report.Add(Record(new DateTimeOffset(2026, 3, 5, 1, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTime(2026, 3, 2), report.Activity()[0].Key);
    }

    [Fact]
    public void The_Table_Keeps_The_Newest_Records_Whatever_Their_Order()
    {
        var report = NewReport(tableRows: 10);
        var order = Enumerable.Range(0, 1000).OrderBy(i => (i * 7919) % 1000).ToList();
        foreach (var i in order)
        {
            report.Add(Record(Monday.AddMinutes(i), summary: "r" + i));
        }

        var rows = report.Rows.NewestFirst();
        Assert.True(report.Rows.IsCapped);
        Assert.Equal(1000, report.Rows.Offered);
        Assert.Equal(Enumerable.Range(990, 10).Reverse().Select(i => "r" + i), rows.Select(r => r.Summary));
        Assert.Equal(1000, report.Total);
    }

    [Fact]
    public void Top_Counts_Stay_Bounded_And_Keep_The_Frequent_Values()
    {
        var counter = new TopCounter(100);
        for (var i = 0; i < 100_000; i++)
        {
            counter.Add(i % 10 == 0 ? "frequent" : "rare" + i);
        }

        Assert.True(counter.Distinct <= 100);
        Assert.True(counter.IsApproximate);
        Assert.Equal("frequent", counter.Top(1)[0].Key);
        Assert.InRange(counter.Top(1)[0].Value, 10_000 - counter.MaxDropped, 10_000);
    }

    [Theory]
    [InlineData("Permissions", "Space permission added", null, null, "Permission change")]
    [InlineData("Users and groups", "User added to group", null, null, "Group change")]
    [InlineData("Users and groups", "User deactivated", null, null, "User deactivation")]
    [InlineData("Security", "Login failed", null, null, "Failed or suspicious login")]
    [InlineData("Apps", "App installed", null, null, "App install or removal")]
    [InlineData("Space", "Space exported", null, null, "Export")]
    [InlineData("Global configuration", "Site title changed", null, null, "Global settings or security configuration")]
    [InlineData("Auditing", "Audit log retention changed", null, null, "Audit log configuration")]
    // Data Center in German: the localised text says nothing the table knows, the keys do.
    [InlineData("Benutzer und Gruppen", "Benutzer deaktiviert", "audit.logging.category.users.and.groups", "audit.logging.summary.user.deactivated", "User deactivation")]
    [InlineData("Berechtigungen", "Bereichsberechtigung hinzugefügt", "audit.logging.category.permissions", "audit.logging.summary.space.permission.added", "Permission change")]
    [InlineData("Apps", "Plugin aktiviert", "audit.logging.category.apps", "audit.logging.summary.plugin.enabled", "App install or removal")]
    public void Sensitive_Events_Are_Recognised_By_Cloud_And_Data_Center_Names(string category, string summary, string? categoryKey, string? actionKey, string kind)
    {
        var match = SensitiveEvents.Match(Record(Monday, category, summary, categoryKey: categoryKey, actionKey: actionKey));
        Assert.NotNull(match);
        Assert.Equal(kind, match!.Value.Rule.Kind);
        Assert.Contains(kind, SensitiveEvents.Rules.Select(r => r.Kind));
    }

    [Fact]
    public void A_Grant_Of_Confluence_Administrator_Is_An_Admin_Grant_And_Ordinary_Edits_Are_Not_Sensitive()
    {
        var grant = Record(Monday, "Permissions", "Global permission added", changes: new[] { new AuditChangedValue("Global permission", string.Empty, "Confluence Administrator") });
        Assert.Equal("Admin grant", SensitiveEvents.Match(grant)!.Value.Rule.Kind);
        Assert.Null(SensitiveEvents.Match(Record(Monday, "Content", "Page updated")));
        Assert.Null(SensitiveEvents.Match(Record(Monday, "Auditing", "Audit Log search performed")));
    }

    [Theory]
    [InlineData("08:00-18:00", "2026-03-02T08:00", true)]
    [InlineData("08:00-18:00", "2026-03-02T18:00", false)]
    [InlineData("08:00-18:00", "2026-03-07T10:00", false)]
    [InlineData("08:00-18:00 Mon-Sat", "2026-03-07T10:00", true)]
    [InlineData("07:30-16:00 Mon,Wed", "2026-03-03T10:00", false)]
    [InlineData("22:00-06:00 Mon-Fri", "2026-03-03T05:00", true)]
    [InlineData("22:00-06:00 Mon-Fri", "2026-03-07T05:00", true)]
    [InlineData("22:00-06:00 Mon-Fri", "2026-03-08T05:00", false)]
    public void Working_Hours_Parse_And_Contain(string text, string local, bool inside) =>
        Assert.Equal(inside, WorkingHours.Parse(text).Contains(DateTime.Parse(local, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("8-18")]
    [InlineData("08:00-08:00")]
    [InlineData("08:00-18:00 Someday")]
    [InlineData("25:00-26:00")]
    public void Bad_Working_Hours_Are_Refused(string text) =>
        Assert.ThrowsAny<Exception>(() => WorkingHours.Parse(text));

    [Fact]
    public void Working_Hours_Read_As_Words() =>
        Assert.Equal("08:00-18:00, Monday to Friday", WorkingHours.Default.ToString());

    [Fact]
    public void Escaping_Leaves_No_Markup_And_No_Invalid_Character()
    {
        var escaped = HtmlText.Escape("</script><script>alert(1)</script><img src=x onerror=\"alert(2)\"> & 'q' `b` \u0001 \ud800");
        Assert.DoesNotContain("<", escaped, StringComparison.Ordinal);
        Assert.DoesNotContain(">", escaped, StringComparison.Ordinal);
        Assert.DoesNotContain("\"", escaped, StringComparison.Ordinal);
        Assert.DoesNotContain("'", escaped, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0001", escaped, StringComparison.Ordinal);
        Assert.DoesNotContain("\ud800", escaped, StringComparison.Ordinal);
        Assert.Contains("&lt;/script&gt;&lt;script&gt;alert(1)", escaped, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Page_Holds_Hostile_Fields_Only_As_Text_And_Allows_Only_Its_Own_Script()
    {
        var report = NewReport();
        const string hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>";
        report.Add(Record(Monday, hostile, hostile, hostile, "\"><svg onload=alert(3)>"));
        var html = Render(report, new ReportContext(hostile, Monday) { Site = "https://acme.atlassian.net/wiki", Deployment = "Cloud", Range = "the whole log" });

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg onload", html, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(html, "<script>"));
        Assert.Contains("script-src " + ReportAssets.ScriptHash(), html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void The_Page_Says_When_The_Table_Is_Capped()
    {
        var report = NewReport(tableRows: 5);
        for (var i = 0; i < 12; i++)
        {
            report.Add(Record(Monday.AddMinutes(i)));
        }

        var html = Render(report, new ReportContext("t", Monday) { RecordsGiven = true });
        Assert.Contains("The table shows the newest 5 of 12 records", html, StringComparison.Ordinal);
        Assert.Contains("given on the pipeline (12), not read as a range", html, StringComparison.Ordinal);
        Assert.Equal(5, CountOf(html, "<tr><td data-sort="));
    }

    private static string Render(AuditReport report, ReportContext context)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        HtmlReportWriter.Write(writer, report, context);
        return writer.ToString();
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
