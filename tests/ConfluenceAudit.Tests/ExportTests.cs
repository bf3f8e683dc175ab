using System.IO.Compression;
using System.Management.Automation;
using System.Net.Http.Headers;
using System.Net;
using System.Text;
using ConfluenceAudit.Http;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>Export-ConfluenceAudit in a real runspace against a fake handler, writing into a temporary folder.</summary>
public sealed class ExportTests : IDisposable
{
    private readonly PowerShellHost host = new();
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("ConfluenceAudit.ExportTests.");

    public ExportTests()
    {
        host.SetVariable("dir", folder.FullName);
    }

    public void Dispose()
    {
        host.Dispose();
        foreach (var file in folder.EnumerateFiles("*", SearchOption.AllDirectories))
        {
            file.Attributes = FileAttributes.Normal;
        }

        folder.Delete(recursive: true);
    }

    private string InFolder(string name) => Path.Combine(folder.FullName, name);

    private (ScriptResult Result, FakeHttpHandler Handler) Run(string script, FakeHttpHandler? handler = null)
    {
        handler ??= ExportServer.Create();
        using var connection = PowerShellHost.Connect(handler);
        host.SetVariable("c", connection);
        var result = host.Run(script);
        Assert.All(result.AllText(), TestSecrets.AssertNoSecret);
        return (result, handler);
    }

    /// <summary>Every file in the folder, hidden ones included: a leftover ".x.partial" must show up here.</summary>
    private List<string> FilesInFolder() => folder.EnumerateFiles("*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder.FullName, f.FullName)).OrderBy(n => n, StringComparer.Ordinal).ToList();

    private static void AssertSucceeded(ScriptResult result)
    {
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
    }

    // ---- Format and query ---------------------------------------------------------------------------

    [Fact]
    public void Writes_The_Csv_Export_Byte_For_Byte_And_Outputs_Nothing()
    {
        var (result, handler) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv')");

        AssertSucceeded(result);
        Assert.Empty(result.Output);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("/wiki/rest/api/audit/export", request.Uri.AbsolutePath);
        Assert.Equal(new[] { "format" }, request.Query.Keys);
        Assert.Equal("csv", request.Query["format"]);
        Assert.Equal(ExportServer.Csv, File.ReadAllBytes(InFolder("audit.csv")));
        Assert.Equal(new[] { "audit.csv" }, FilesInFolder());
    }

    [Theory]
    [InlineData("audit.zip", "", "zip")]
    [InlineData("AUDIT.ZIP", "", "zip")]
    [InlineData("audit.csv", "", "csv")]
    [InlineData("audit.txt", "", "csv")]
    [InlineData("audit", "", "csv")]
    [InlineData("audit.zip", "-Format Csv", "csv")]
    [InlineData("audit.csv", "-Format Zip", "zip")]
    [InlineData("audit.csv", "-Format zip", "zip")]
    public void Format_Comes_From_The_Extension_Unless_Given(string name, string parameter, string expected)
    {
        var (result, handler) = Run($"Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir '{name}') {parameter}");

        AssertSucceeded(result);
        Assert.Equal(expected, Assert.Single(handler.Requests).Query["format"]);
        Assert.Equal(expected == "zip" ? ExportServer.Zip : ExportServer.Csv, File.ReadAllBytes(InFolder(name)));
    }

    [Fact]
    public void The_Zip_Opens_And_Holds_The_Same_Csv_As_The_Csv_Export()
    {
        var (result, _) = Run(
            "Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.zip'); Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv')");

        AssertSucceeded(result);
        using var archive = ZipFile.OpenRead(InFolder("audit.zip"));
        var entry = Assert.Single(archive.Entries);
        Assert.EndsWith(".csv", entry.FullName, StringComparison.OrdinalIgnoreCase);
        using var content = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(content);
        }

        Assert.Equal(File.ReadAllBytes(InFolder("audit.csv")), content.ToArray());
    }

    [Fact]
    public void Dates_And_Search_Are_Sent_As_Epoch_Milliseconds_And_Text()
    {
        var (result, handler) = Run(
            "Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv') -StartDate ([datetime]::new(2026,3,1,0,0,0,[DateTimeKind]::Utc)) " +
            "-EndDate ([datetime]::new(2026,3,2,10,15,0,125,[DateTimeKind]::Utc)) -SearchString 'space permission & more'");

        AssertSucceeded(result);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("1772323200000", request.Query["startDate"]);
        Assert.Equal("1772446500125", request.Query["endDate"]);
        Assert.Equal("space permission & more", request.Query["searchString"]);
        Assert.Equal("csv", request.Query["format"]);
    }

    [Fact]
    public void A_Local_Start_Date_Is_The_Local_Instant()
    {
        var expected = new DateTimeOffset(new DateTime(2026, 3, 1, 8, 30, 0, DateTimeKind.Local)).ToUnixTimeMilliseconds();

        var (_, handler) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv') -StartDate ([datetime]'2026-03-01 08:30')");

        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(handler.Requests).Query["startDate"]);
    }

    [Fact]
    public void A_Start_Date_After_The_End_Date_Is_Refused_Without_A_Request()
    {
        var (result, handler) = Run(
            "Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv') -StartDate ([datetime]'2026-03-02') -EndDate ([datetime]'2026-03-01')");

        Assert.StartsWith("InvalidDateRange", result.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
        Assert.Empty(FilesInFolder());
    }

    // ---- Paths ---------------------------------------------------------------------------------------

    [Fact]
    public void A_Relative_Path_Is_Relative_To_The_PowerShell_Location_Not_The_Process()
    {
        Assert.NotEqual(folder.FullName, Environment.CurrentDirectory);

        var (result, _) = Run("Set-Location -LiteralPath $dir; Export-ConfluenceAudit -Connection $c -Path audit.csv; Export-ConfluenceAudit -Connection $c -Path ./sub/../second.csv");

        AssertSucceeded(result);
        Assert.Equal(new[] { "audit.csv", "second.csv" }, FilesInFolder());
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "audit.csv")));
    }

    [Theory]
    [InlineData("AuditOut:\\drive.csv")]
    [InlineData("AuditOut:/drive.csv")]
    public void A_Path_On_A_PSDrive_Is_Resolved_Through_The_Provider(string path)
    {
        var (result, _) = Run($"$null = New-PSDrive -Name AuditOut -PSProvider FileSystem -Root $dir; Export-ConfluenceAudit -Connection $c -Path '{path}'");

        AssertSucceeded(result);
        Assert.Equal(ExportServer.Csv, File.ReadAllBytes(InFolder("drive.csv")));
    }

    [Fact]
    public void LiteralPath_Takes_Wildcard_Characters_As_They_Are()
    {
        var (result, _) = Run("Export-ConfluenceAudit -Connection $c -LiteralPath (Join-Path $dir '[1].csv'); Export-ConfluenceAudit -Connection $c -PSPath (Join-Path $dir 'a*b?.csv')");

        AssertSucceeded(result);
        Assert.Equal(new[] { "[1].csv", "a*b?.csv" }, FilesInFolder());
    }

    [Fact]
    public void A_FileInfo_Piped_In_Binds_To_LiteralPath()
    {
        File.WriteAllText(InFolder("[old].csv"), "old");

        var (result, _) = Run("Get-Item -LiteralPath (Join-Path $dir '[old].csv') | Export-ConfluenceAudit -Connection $c");

        AssertSucceeded(result);
        Assert.Equal(ExportServer.Csv, File.ReadAllBytes(InFolder("[old].csv")));
    }

    [Fact]
    public void A_Missing_Folder_Is_ExportDirectoryNotFound_Without_A_Request()
    {
        var (result, handler) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'missing/audit.csv')");

        Assert.StartsWith("ExportDirectoryNotFound", result.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Terminating!.CategoryInfo.Category);
        Assert.Empty(handler.Requests);
        Assert.False(Directory.Exists(InFolder("missing")));
    }

    [Fact]
    public void A_Folder_As_Path_Is_Refused_Without_A_Request()
    {
        Directory.CreateDirectory(InFolder("sub"));

        var (result, handler) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'sub')");

        Assert.StartsWith("ExportPathIsFolder", result.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void A_Path_Outside_The_File_System_Is_Refused_Without_A_Request()
    {
        var (result, handler) = Run("Export-ConfluenceAudit -Connection $c -Path 'Variable:\\audit'");

        Assert.StartsWith("ExportPathNotFileSystem", result.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    // ---- Existing files: -NoClobber, -Force, read-only ------------------------------------------------

    [Fact]
    public void NoClobber_On_An_Existing_File_Is_ExportFileExists_And_Leaves_It_Untouched()
    {
        File.WriteAllText(InFolder("audit.csv"), "keep me");

        var (result, handler) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv') -NoClobber");

        Assert.StartsWith("ExportFileExists", result.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ResourceExists, result.Terminating!.CategoryInfo.Category);
        Assert.Empty(handler.Requests);
        Assert.Equal("keep me", File.ReadAllText(InFolder("audit.csv")));
        Assert.Equal(new[] { "audit.csv" }, FilesInFolder());
    }

    [Fact]
    public void NoClobber_On_A_New_File_Writes_It()
    {
        var (result, _) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv') -NoClobber");

        AssertSucceeded(result);
        Assert.Equal(ExportServer.Csv, File.ReadAllBytes(InFolder("audit.csv")));
    }

    [Fact]
    public void An_Existing_File_Is_Replaced_Without_NoClobber()
    {
        File.WriteAllText(InFolder("audit.csv"), "old content that is longer than nothing");

        var (result, _) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv')");

        AssertSucceeded(result);
        Assert.Equal(ExportServer.Csv, File.ReadAllBytes(InFolder("audit.csv")));
        Assert.Equal(new[] { "audit.csv" }, FilesInFolder());
    }

    [Fact]
    public void A_Read_Only_File_Is_ExportFileReadOnly_Without_Force_And_Replaced_With_Force()
    {
        var target = InFolder("audit.csv");
        File.WriteAllText(target, "read-only content");
        File.SetAttributes(target, FileAttributes.ReadOnly);

        var (refused, refusedHandler) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv')");

        Assert.StartsWith("ExportFileReadOnly", refused.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.PermissionDenied, refused.Terminating!.CategoryInfo.Category);
        Assert.Contains("-Force", refused.Terminating.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(refusedHandler.Requests);
        Assert.Equal("read-only content", File.ReadAllText(target));

        var (forced, forcedHandler) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv') -Force");

        AssertSucceeded(forced);
        Assert.Single(forcedHandler.Requests);
        Assert.Equal(ExportServer.Csv, File.ReadAllBytes(target));
        Assert.Equal(new[] { "audit.csv" }, FilesInFolder());
    }

    [Fact]
    public void PassThru_Emits_The_FileInfo_Of_The_Written_File()
    {
        var (result, _) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.zip') -PassThru");

        AssertSucceeded(result);
        var file = Assert.IsType<FileInfo>(Assert.Single(result.Output).BaseObject);
        Assert.Equal(InFolder("audit.zip"), file.FullName);
        Assert.Equal(ExportServer.Zip.Length, file.Length);
    }

    [Fact]
    public void WhatIf_Sends_Nothing_Writes_Nothing_And_Keeps_An_Existing_File()
    {
        File.WriteAllText(InFolder("existing.csv"), "keep me");

        var (result, handler) = Run(
            "Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'new.csv') -WhatIf -PassThru; Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'existing.csv') -WhatIf");

        AssertSucceeded(result);
        Assert.Empty(result.Output);
        Assert.Empty(handler.Requests);
        Assert.Equal(new[] { "existing.csv" }, FilesInFolder());
        Assert.Equal("keep me", File.ReadAllText(InFolder("existing.csv")));
    }

    // ---- Failures leave no partial file and never destroy an existing one --------------------------

    [Fact]
    public void A_Connection_Dropped_Mid_Body_Leaves_No_File_And_No_Partial_File()
    {
        var handler = FakeHttpHandler.Always(() => ExportServer.Broken(ExportServer.Csv.AsSpan(0, ExportServer.Csv.Length / 2).ToArray()));

        var (result, _) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv') -PassThru; 'after'", handler);

        var error = result.Terminating ?? Assert.Single(result.Errors);
        Assert.StartsWith("ConfluenceConnectionFailed", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Output, o => o.BaseObject is FileInfo);
        Assert.Empty(FilesInFolder());
    }

    [Fact]
    public void A_Connection_Dropped_Mid_Body_Leaves_An_Existing_File_Byte_Identical()
    {
        var original = Encoding.UTF8.GetBytes("\"Date\",\"Summary\"\r\n\"yesterday\",\"the export I must not lose\"\r\n");
        File.WriteAllBytes(InFolder("audit.csv"), original);
        var before = File.GetLastWriteTimeUtc(InFolder("audit.csv"));
        var handler = FakeHttpHandler.Always(() => ExportServer.Broken(ExportServer.Csv.AsSpan(0, 20_000).ToArray()));

        var (result, _) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv') -Force", handler);

        Assert.NotNull(result.Terminating ?? (result.Errors.Count > 0 ? result.Errors[0] : null));
        Assert.Equal(original, File.ReadAllBytes(InFolder("audit.csv")));
        Assert.Equal(before, File.GetLastWriteTimeUtc(InFolder("audit.csv")));
        Assert.Equal(new[] { "audit.csv" }, FilesInFolder());
    }

    [Fact]
    public void A_Body_Shorter_Than_Its_Content_Length_Is_An_Error_And_Leaves_No_File()
    {
        File.WriteAllText(InFolder("existing.csv"), "keep me");
        var handler = FakeHttpHandler.Always(() => ExportServer.Body(ExportServer.Csv.AsSpan(0, 1000).ToArray(), "text/csv", contentLength: ExportServer.Csv.Length));

        var (result, _) = Run(
            "Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'new.csv'); Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'existing.csv')", handler);

        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("ConfluenceInvalidResponse", e.FullyQualifiedErrorId, StringComparison.Ordinal));
        Assert.Contains("1,000", result.Errors[0].ErrorDetails!.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "existing.csv" }, FilesInFolder());
        Assert.Equal("keep me", File.ReadAllText(InFolder("existing.csv")));
    }

    [Fact]
    public void A_Login_Page_Instead_Of_The_Export_Is_ConfluenceUnexpectedResponse_And_Leaves_No_File()
    {
        var handler = FakeHttpHandler.Always(() => Responses.Text(HttpStatusCode.OK, "<html><body>Log in to Confluence</body></html>", "text/html"));

        var (result, _) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv')", handler);

        var error = result.Terminating ?? Assert.Single(result.Errors);
        Assert.StartsWith("ConfluenceUnexpectedResponse", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(FilesInFolder());
    }

    [Fact]
    public void Forbidden_Is_A_Terminating_PermissionDenied_And_Leaves_No_File()
    {
        File.WriteAllText(InFolder("existing.csv"), "keep me");
        var handler = FakeHttpHandler.Always(() => Responses.Json("{\"message\":\"Not an administrator\"}", HttpStatusCode.Forbidden));

        var (result, _) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'existing.csv'); 'after'", handler);

        Assert.StartsWith("ConfluencePermissionDenied", result.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.PermissionDenied, result.Terminating!.CategoryInfo.Category);
        Assert.Empty(result.Output);
        Assert.Equal(new[] { "existing.csv" }, FilesInFolder());
        Assert.Equal("keep me", File.ReadAllText(InFolder("existing.csv")));
    }

    [Fact]
    public void Stopping_Mid_Download_Leaves_No_File_And_Keeps_An_Existing_One()
    {
        File.WriteAllText(InFolder("audit.csv"), "keep me");
        var stream = new StallingStream("\"Date\",\"Summary\"\r\n\"2026-03-02\",\"partial row");
        try
        {
            var handler = FakeHttpHandler.Always(() => Responses.Stalling(stream, mediaType: "text/csv"));
            using var connection = PowerShellHost.Connect(handler);
            host.SetVariable("c", connection);

            var (result, thrown) = host.RunAndStop("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv')",
                () => handler.Requests.Count > 0 && FilesInFolder().Count > 1, TimeSpan.FromSeconds(10));

            Assert.True(thrown is null or PipelineStoppedException, thrown?.ToString());
            Assert.Equal(new[] { "audit.csv" }, FilesInFolder());
            Assert.Equal("keep me", File.ReadAllText(InFolder("audit.csv")));
        }
        finally
        {
            stream.Release();
        }
    }

    [Fact]
    public void A_Large_Export_Is_Written_Completely()
    {
        // 64 MiB in 1000-byte chunks: the file must hold every byte, in order.
        var big = new byte[64 * 1024 * 1024];
        new Random(7).NextBytes(big);
        var handler = FakeHttpHandler.Always(() => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new MemoryStream(big, writable: false)) { Headers = { ContentType = new MediaTypeHeaderValue("application/zip") } },
        });

        var (result, _) = Run("Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'big.zip') -PassThru", handler);

        AssertSucceeded(result);
        Assert.Equal(big.LongLength, Assert.IsType<FileInfo>(Assert.Single(result.Output).BaseObject).Length);
        Assert.True(big.AsSpan().SequenceEqual(File.ReadAllBytes(InFolder("big.zip"))));
    }
}
