using System.Globalization;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ConfluenceAudit.BrowserTests;

/// <summary>
/// The report written by the built module, opened in Chromium: it loads with no console error and no request, shows
/// the emulator's own counts, sorts and filters, shows hostile fields as text, passes an accessibility scan, and renders
/// in dark mode and for print.
/// </summary>
public sealed class ReportBrowserTests : IClassFixture<ReportFixture>
{
    private readonly ReportFixture fixture;

    public ReportBrowserTests(ReportFixture fixture)
    {
        this.fixture = fixture;
    }

    [SkippableFact]
    public async Task The_Page_Loads_With_No_Console_Error_And_No_Network_Request()
    {
        var (page, problems, requests) = await OpenAsync();
        Assert.Empty(problems);
        Assert.Equal(new[] { fixture.ReportUrl }, requests);
        Assert.Equal("Browser test report", await page.TitleAsync());
        // The script ran: the filter is shown and the headings became sort buttons.
        Assert.True(await page.Locator("#records-filter").IsVisibleAsync());
        Assert.Equal(7, await page.Locator("#records thead th button").CountAsync());
    }

    [SkippableFact]
    public async Task Totals_Categories_And_Days_Equal_Counts_From_The_Emulators_Records()
    {
        var (page, _, _) = await OpenAsync();
        Assert.Equal(fixture.Records.Count.ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("#total-records", "data-count"));

        var categories = fixture.Records.GroupBy(r => Text(r, "category") is { Length: > 0 } c ? c : "(none)").ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(categories.OrderBy(p => p.Key, StringComparer.Ordinal), (await ShownCountsAsync(page, "category-table")).OrderBy(p => p.Key, StringComparer.Ordinal));

        var days = fixture.Records
            .GroupBy(r => DateTimeOffset.FromUnixTimeMilliseconds(r.GetProperty("creationDate").GetInt64()).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => (long)g.Count());
        var shownDays = await ShownCountsAsync(page, "activity-table");
        Assert.Equal(days.OrderBy(p => p.Key, StringComparer.Ordinal), shownDays.Where(p => p.Value > 0).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(fixture.Records.Count, await page.Locator("#records tbody tr").CountAsync());
    }

    [SkippableFact]
    public async Task The_Records_Table_Sorts_And_Filters()
    {
        var (page, problems, _) = await OpenAsync();
        await page.Locator("#records thead th:nth-child(2) button").ClickAsync();
        Assert.Equal("ascending", await page.GetAttributeAsync("#records thead th:nth-child(2)", "aria-sort"));
        var categories = await page.Locator("#records tbody tr td:nth-child(2)").AllTextContentsAsync();
        Assert.Equal(categories.OrderBy(c => c.ToLowerInvariant(), StringComparer.Ordinal), categories);
        await page.Locator("#records thead th:nth-child(2) button").ClickAsync();
        Assert.Equal("descending", await page.GetAttributeAsync("#records thead th:nth-child(2)", "aria-sort"));
        Assert.Equal(categories.Reverse(), await page.Locator("#records tbody tr td:nth-child(2)").AllTextContentsAsync());

        await page.Locator("#records thead th:nth-child(1) button").ClickAsync();
        var times = await page.Locator("#records tbody tr td:nth-child(1)").AllTextContentsAsync();
        Assert.Equal(times.OrderBy(t => t, StringComparer.Ordinal), times);

        const string term = "Login failed";
        var expected = fixture.Records.Count(r => Text(r, "summary").Contains(term, StringComparison.OrdinalIgnoreCase));
        Assert.True(expected > 0);
        await page.Locator("#records-filter-text").FillAsync(term);
        var visible = page.Locator("#records tbody tr:visible");
        Assert.True(await visible.CountAsync() >= expected);
        foreach (var row in await visible.AllTextContentsAsync())
        {
            Assert.Contains(term, row, StringComparison.OrdinalIgnoreCase);
        }

        Assert.EndsWith($"of {fixture.Records.Count} rows shown", await page.Locator("#records-filter-status").TextContentAsync(), StringComparison.Ordinal);
        await page.Locator("#records-filter-text").FillAsync(string.Empty);
        Assert.Equal(fixture.Records.Count, await page.Locator("#records tbody tr:visible").CountAsync());
        Assert.Empty(problems);
    }

    [SkippableFact]
    public async Task A_Record_Holding_Markup_And_Script_Shows_It_As_Text_And_Nothing_Runs()
    {
        var (page, problems, requests) = await OpenAsync();
        var row = page.Locator("#records tbody tr", new() { HasText = "Mallory" });
        Assert.Equal(1, await row.CountAsync());
        Assert.Equal(ReportFixture.HostileSummary, await row.Locator("td:nth-child(3)").TextContentAsync());
        Assert.Equal(ReportFixture.HostileAuthor, await row.Locator("td:nth-child(4)").TextContentAsync());
        Assert.Equal(ReportFixture.HostileCategory, await row.Locator("td:nth-child(2)").TextContentAsync());
        Assert.Equal(0, await page.Locator("main img, main iframe, main b, main a, #records svg").CountAsync());
        Assert.Equal(1, await page.Locator("script").CountAsync());
        await row.Locator("td:nth-child(2)").HoverAsync();
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__pwned"));
        Assert.Empty(problems);
        Assert.Equal(new[] { fixture.ReportUrl }, requests);
    }

    [SkippableFact]
    public async Task An_Accessibility_Scan_Finds_No_Serious_Or_Critical_Violation()
    {
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            var (page, _, _) = await OpenAsync(scheme, fixture.SmallReportPath);
            Assert.Equal(1, await page.Locator("#records tbody tr", new() { HasText = "Mallory" }).CountAsync());
            var result = await page.RunAxe();
            var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{scheme}: {v.Id} ({v.Impact}): {v.Help}; e.g. {v.Nodes.FirstOrDefault()?.Html}").ToList();
            Assert.Empty(serious);
            Assert.NotEmpty(result.Passes);
        }
    }

    [SkippableFact]
    public async Task Dark_Mode_And_Print_Render()
    {
        var (page, problems, _) = await OpenAsync(ColorScheme.Dark);
        var dark = await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
        Assert.Equal("rgb(18, 20, 23)", dark);
        Assert.True(await page.Locator("#activity-chart-title").CountAsync() == 1);

        await page.EmulateMediaAsync(new() { Media = Media.Print, ColorScheme = ColorScheme.Dark });
        Assert.Equal("rgb(255, 255, 255)", await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        Assert.False(await page.Locator("#records-filter").IsVisibleAsync());
        var pdf = await page.PdfAsync(new() { Format = "A4" });
        Assert.True(pdf.Length > 10_000);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        Assert.Empty(problems);
    }

    private static string Text(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static async Task<Dictionary<string, long>> ShownCountsAsync(IPage page, string tableId)
    {
        var rows = await page.EvaluateAsync<string[][]>(
            "id => Array.from(document.querySelectorAll('#' + id + ' tbody tr')).map(r => [r.cells[0].textContent, r.cells[1].getAttribute('data-count')])", tableId);
        return rows.ToDictionary(r => r[0], r => long.Parse(r[1], CultureInfo.InvariantCulture));
    }

    /// <summary>The report in a new page, with the console errors, page errors and requests seen while it loads and afterwards.</summary>
    private async Task<(IPage Page, List<string> Problems, List<string> Requests)> OpenAsync(ColorScheme scheme = ColorScheme.Light, string? path = null)
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var context = await fixture.Browser.NewContextAsync(new() { ColorScheme = scheme, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        var requests = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add(message.Type + ": " + message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add("page error: " + error);
        page.Request += (_, request) => requests.Add(request.Url);
        await page.GotoAsync(path is null ? fixture.ReportUrl : new Uri(path).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
        return (page, problems, requests);
    }
}
