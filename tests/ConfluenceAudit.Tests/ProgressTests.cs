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

    public ProgressTests()
    {
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(typeof(GetConfluenceAuditRecordCommand).Assembly.Location);
        runspace = RunspaceFactory.CreateRunspace(iss);
        runspace.Open();
    }

    public void Dispose() => runspace.Dispose();

    private List<ProgressRecord> Progress(HttpMessageHandler handler, string script)
    {
        using var connection = PowerShellHost.Connect(handler);
        runspace.SessionStateProxy.SetVariable("c", connection);
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        ps.Invoke();
        return ps.Streams.Progress.ToList();
    }

    [Fact]
    public void A_Listing_Reports_Records_So_Far_And_Completes_The_Bar()
    {
        var records = Progress(new FakeAuditServer(2500).CreateHandler(), "Get-ConfluenceAuditRecord -Connection $c -PageSize 1000 | Out-Null");

        Assert.NotEmpty(records);
        var first = records[0];
        Assert.Equal(ProgressRecordType.Processing, first.RecordType);
        Assert.Contains("records", first.StatusDescription, StringComparison.Ordinal);
        Assert.Contains("/s", first.StatusDescription, StringComparison.Ordinal);
        Assert.Equal(ProgressRecordType.Completed, records[^1].RecordType);
        Assert.All(records, r => Assert.Equal(first.ActivityId, r.ActivityId));
    }

    [Fact]
    public void ProgressPreference_SilentlyContinue_Shows_Nothing()
    {
        var records = Progress(new FakeAuditServer(2500).CreateHandler(), "$ProgressPreference = 'SilentlyContinue'; Get-ConfluenceAuditRecord -Connection $c -PageSize 1000 | Out-Null");

        Assert.Empty(records);
    }

    [Fact]
    public void A_Listing_That_Fails_Midway_Still_Completes_The_Bar()
    {
        var server = new FakeAuditServer(2500);
        var requests = 0;
        var handler = new FakeHttpHandler(request =>
            Interlocked.Increment(ref requests) == 1
                ? server.Respond(request)
                : Responses.Json("{\"message\":\"Internal error\"}", HttpStatusCode.InternalServerError));

        var records = Progress(handler, "Get-ConfluenceAuditRecord -Connection $c -PageSize 1000 -ErrorAction SilentlyContinue | Out-Null");

        Assert.NotEmpty(records);
        Assert.Equal(ProgressRecordType.Completed, records[^1].RecordType);
    }
}
