using System.Management.Automation;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ConfluenceAudit.Http;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>-CreationDate with a DateTime of kind Unspecified or Local, in a time zone far from UTC (changes the process's zone).</summary>
[Collection(ProcessWideGroup.Name)]
public sealed class RecordCreationLocalTimeTests
{
    [Theory]
    [InlineData("[datetime]'2026-03-02 15:45:00.125'")]
    [InlineData("[datetime]::new(2026, 3, 2, 15, 45, 0, 125, [DateTimeKind]::Local)")]
    [InlineData("[datetime]::new(2026, 3, 2, 15, 45, 0, 125)")]
    public void A_Local_Date_Is_Sent_As_The_Instant_It_Means_There(string date)
    {
        using var zone = new TimeZoneScope("Asia/Kolkata");
        using var host = new PowerShellHost();
        var handler = RecordCreationServer.Create();
        using var connection = PowerShellHost.Connect(handler);
        host.SetVariable("c", connection);

        var result = host.Run($"New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 -CreationDate ({date})");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        // 15:45:00.125 in India (UTC+05:30) is 10:15:00.125 UTC.
        RecordCreationServer.AssertJsonEqual("{\"remoteAddress\":\"10.0.0.1\",\"creationDate\":1772446500125}", Assert.Single(handler.Requests).Body);
    }
}
