using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using ConfluenceAudit.Commands;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>
/// Long listings show progress (records so far and the rate), honour $ProgressPreference, and always complete the bar
/// when the command ends, also when it fails, so no bar is left behind.
/// </summary>
public sealed class ProgressTests : IDisposable
{
    private readonly Runspace runspace;
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("ConfluenceAudit.ProgressTests.");

    public ProgressTests()
    {
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(typeof(GetConfluenceAuditRecordCommand).Assembly.Location);
        runspace = RunspaceFactory.CreateRunspace(iss);
        runspace.Open();
    }

    public void Dispose()
    {
        runspace.Dispose();
        folder.Delete(recursive: true);
    }

    private Outcome Run(HttpMessageHandler handler, string script)
    {
        using var connection = PowerShellHost.Connect(handler);
        runspace.SessionStateProxy.SetVariable("c", connection);
        runspace.SessionStateProxy.SetVariable("dir", folder.FullName);
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        var output = ps.Invoke();
        return new Outcome(output.Count == 1 ? output[0].BaseObject : null, ps.Streams.Progress.ToList(), ps.Streams.Error.ToList());
    }

    [Fact]
    public void A_Listing_Reports_Records_So_Far_And_Completes_The_Bar()
    {
        var run = Run(new FakeAuditServer(2500).CreateHandler(), "(Get-ConfluenceAuditRecord -Connection $c -PageSize 1000 | Measure-Object).Count");

        Assert.Empty(run.Errors);
        Assert.Equal(2500, run.Value);
        Assert.NotEmpty(run.Progress);
        var first = run.Progress[0];
        Assert.Equal(ProgressRecordType.Processing, first.RecordType);
        Assert.Contains("records", first.StatusDescription, StringComparison.Ordinal);
        Assert.Contains("/s", first.StatusDescription, StringComparison.Ordinal);
        Assert.Equal(ProgressRecordType.Completed, run.Progress[^1].RecordType);
        Assert.All(run.Progress, r => Assert.Equal(first.ActivityId, r.ActivityId));
    }

    [Fact]
    public void ProgressPreference_SilentlyContinue_Shows_Nothing()
    {
        var run = Run(new FakeAuditServer(2500).CreateHandler(), "$ProgressPreference = 'SilentlyContinue'; (Get-ConfluenceAuditRecord -Connection $c -PageSize 1000 | Measure-Object).Count");

        Assert.Empty(run.Errors);
        Assert.Equal(2500, run.Value);
        Assert.Empty(run.Progress);
    }

    [Fact]
    public void A_Listing_That_Fails_Midway_Reports_The_Error_And_Still_Completes_The_Bar()
    {
        var server = new FakeAuditServer(2500);
        var requests = 0;
        var handler = new FakeHttpHandler(request =>
            Interlocked.Increment(ref requests) == 1
                ? server.Respond(request)
                : Responses.Json("{\"message\":\"Internal error\"}", HttpStatusCode.InternalServerError));

        var run = Run(handler, "(Get-ConfluenceAuditRecord -Connection $c -PageSize 1000 | Measure-Object).Count");

        var error = Assert.Single(run.Errors);
        Assert.Equal("ConfluenceServerError", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(1000, run.Value);
        Assert.NotEmpty(run.Progress);
        Assert.Equal(ProgressRecordType.Completed, run.Progress[^1].RecordType);
    }

    [Fact]
    public void An_Export_Reports_Bytes_Against_The_Announced_Length_And_Completes_The_Bar()
    {
        var run = Run(ExportServer.Create(), "Export-ConfluenceAudit -Connection $c -Path (Join-Path $dir 'audit.csv') -PassThru | ForEach-Object Length");

        Assert.Empty(run.Errors);
        Assert.Equal((long)ExportServer.Csv.Length, run.Value);
        var reports = run.Progress.Where(r => r.RecordType == ProgressRecordType.Processing).ToList();
        Assert.NotEmpty(reports);
        Assert.Contains("bytes", reports[^1].StatusDescription, StringComparison.Ordinal);
        Assert.InRange(reports[^1].PercentComplete, 0, 100);
        Assert.Equal(ProgressRecordType.Completed, run.Progress[^1].RecordType);
    }

    private sealed record Outcome(object? Value, List<ProgressRecord> Progress, List<ErrorRecord> Errors);
}
