using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace ConfluenceAudit.BrowserTests;

/// <summary>
/// What every browser test shares, made once: the emulator with sample records and one hostile record, its records
/// read directly from its API (the truth the page is compared with), a report written by the built module in a child
/// pwsh, and Chromium. When Chromium is absent, <see cref="SkipReason"/> says so and nothing else is started.
/// </summary>
public sealed class ReportFixture : IAsyncLifetime
{
    /// <summary>Text a hostile client could put into a record: it must show as text and never run.</summary>
    public const string HostileSummary = "</script><script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">";
    public const string HostileAuthor = "<svg onload=\"window.__pwned = 3\"></svg>Mallory";
    public const string HostileCategory = "<b onmouseover=alert(4)>Security</b>";

    private const string AdminEmail = "admin@example.com";
    private const string AdminToken = "emulator-admin-token";
    private Process? emulator;
    private IPlaywright? playwright;

    public string? SkipReason { get; private set; }

    public IBrowser Browser { get; private set; } = null!;

    public string ReportPath { get; private set; } = string.Empty;

    public string ReportUrl => new Uri(ReportPath).AbsoluteUri;

    /// <summary>
    /// A report of the newest 150 records, piped in: the same page structure in a size an accessibility scan gets
    /// through in seconds (axe takes minutes over thousands of table cells).
    /// </summary>
    public string SmallReportPath { get; private set; } = string.Empty;

    /// <summary>The emulator's records as its API serves them (JSON), newest first.</summary>
    public IReadOnlyList<JsonElement> Records { get; private set; } = Array.Empty<JsonElement>();

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ConfluenceAudit.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>CHROMIUM_PATH when set, else Debian's chromium; null when that file does not exist.</summary>
    public static string? ChromiumPath()
    {
        var given = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        var candidates = string.IsNullOrEmpty(given) ? new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" } : new[] { given };
        return candidates.FirstOrDefault(File.Exists);
    }

    public async Task InitializeAsync()
    {
        var chromium = ChromiumPath();
        if (chromium is null)
        {
            SkipReason = "Chromium is not installed (on Debian: apt-get install chromium; or set CHROMIUM_PATH), so the report was not opened in a browser.";
            return;
        }

        var root = RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var baseUri = StartEmulator(Path.Combine(root, "src/ConfluenceAudit.Emulator/bin", configuration, "net10.0/ConfluenceAudit.Emulator.dll"));
        using var http = new HttpClient { BaseAddress = new Uri(baseUri + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(AdminEmail + ":" + AdminToken)));
        await AddHostileRecordAsync(http);
        Records = await ReadAllAsync(http);

        ReportPath = Path.Combine(Path.GetTempPath(), "confluenceaudit-report-" + Guid.NewGuid().ToString("N") + ".html");
        SmallReportPath = ReportPath.Replace(".html", "-small.html", StringComparison.Ordinal);
        WriteReport(root, baseUri);

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // Root in a container has no user namespace for Chromium's sandbox.
            Args = new[] { "--no-sandbox" },
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        if (emulator is not null)
        {
            emulator.StandardInput.Close();
            if (!emulator.WaitForExit(10000))
            {
                emulator.Kill(true);
            }

            emulator.Dispose();
        }

        foreach (var path in new[] { ReportPath, SmallReportPath })
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    private string StartEmulator(string dll)
    {
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The emulator is not built ({dll}). Run ./build.ps1 Build first.");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { dll, "--port", "0", "--exit-on-stdin-close", "--quiet", "--records", "2000", "--seed", "64", "--span-days", "40" })
        {
            start.ArgumentList.Add(argument);
        }

        emulator = Process.Start(start)!;
        var line = emulator.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(60)) || line.Result is null)
        {
            throw new InvalidOperationException("The emulator did not report its address.");
        }

        var match = System.Text.RegularExpressions.Regex.Match(line.Result, @"http://127\.0\.0\.1:\d+");
        return match.Success ? match.Value + "/wiki" : throw new InvalidOperationException("Unexpected first line from the emulator: " + line.Result);
    }

    private static async Task AddHostileRecordAsync(HttpClient http)
    {
        var body = JsonSerializer.Serialize(new
        {
            remoteAddress = "\"><img src=x onerror=alert(5)>",
            summary = HostileSummary,
            description = "<iframe src=\"https://example.com\"></iframe>",
            category = HostileCategory,
            author = new { type = "user", displayName = HostileAuthor },
            affectedObject = new { name = "<a href=\"javascript:alert(6)\">ENG</a>", objectType = "Space" },
        });
        using var response = await http.PostAsync("rest/api/audit", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    private static async Task<IReadOnlyList<JsonElement>> ReadAllAsync(HttpClient http)
    {
        // Plain offset paging with a fixed end: nothing arrives while the tests run.
        var end = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds();
        var records = new List<JsonElement>();
        while (true)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync($"rest/api/audit?start={records.Count}&limit=1000&endDate={end}"));
            var page = document.RootElement.GetProperty("results").EnumerateArray().Select(r => r.Clone()).ToList();
            if (page.Count == 0)
            {
                return records;
            }

            records.AddRange(page);
        }
    }

    private void WriteReport(string root, string baseUri)
    {
        var module = Environment.GetEnvironmentVariable("CONFLUENCEAUDIT_MODULE_PATH") is { Length: > 0 } given ? given : Path.Combine(root, "out/ConfluenceAudit");
        var script = $@"$ErrorActionPreference = 'Stop'
Import-Module '{Path.Combine(module, "ConfluenceAudit.psd1").Replace("'", "''")}'
$credential = [pscredential]::new('{AdminEmail}', (ConvertTo-SecureString '{AdminToken}' -AsPlainText -Force))
Connect-ConfluenceAudit -BaseUri '{baseUri}' -Deployment Cloud -Credential $credential
Export-ConfluenceAuditReport -Path '{ReportPath.Replace("'", "''")}' -TimeZone UTC -Title 'Browser test report' -EndDate ([DateTime]::UtcNow.AddMinutes(1))
Get-ConfluenceAuditRecord -First 150 | Export-ConfluenceAuditReport -Path '{SmallReportPath.Replace("'", "''")}' -TimeZone UTC -Title 'Browser test report'
";
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-EncodedCommand", Convert.ToBase64String(Encoding.Unicode.GetBytes(script)) })
        {
            start.ArgumentList.Add(argument);
        }

        using var pwsh = Process.Start(start)!;
        var output = pwsh.StandardOutput.ReadToEndAsync();
        var errors = pwsh.StandardError.ReadToEndAsync();
        if (!pwsh.WaitForExit(180_000))
        {
            pwsh.Kill(true);
            throw new InvalidOperationException("pwsh did not write the report within 3 minutes.");
        }

        if (pwsh.ExitCode != 0 || !File.Exists(ReportPath) || !File.Exists(SmallReportPath))
        {
            throw new InvalidOperationException($"pwsh failed to write the report (exit code {pwsh.ExitCode}): {output.Result} {errors.Result}");
        }
    }
}
