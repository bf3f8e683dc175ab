using System.Management.Automation;
using ConfluenceAudit.Models;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>Forgets a connection and disposes its HttpClient; without -Connection, the session's default one.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ConfluenceAudit")]
[OutputType(typeof(void))]
public sealed class DisconnectConfluenceAuditCommand : ConfluenceAuditCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public ConfluenceAuditConnection? Connection { get; set; }

    protected override void ProcessRecord()
    {
        var connection = Connection ?? ConnectionStore.Default;
        if (connection is null)
        {
            WriteVerbose("There is no connection to close.");
            return;
        }

        ConnectionStore.Release(connection);
        WriteVerbose($"Disconnected from {connection.BaseUri}.");
    }
}
