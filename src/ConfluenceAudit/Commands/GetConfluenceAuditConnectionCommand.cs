using System.Management.Automation;
using ConfluenceAudit.Models;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>Shows the session's default connection: site, deployment, how it authenticates; never the secret.</summary>
[Cmdlet(VerbsCommon.Get, "ConfluenceAuditConnection")]
[OutputType(typeof(ConfluenceAuditConnection))]
public sealed class GetConfluenceAuditConnectionCommand : ConfluenceAuditCmdlet
{
    protected override void EndProcessing()
    {
        var connection = ConnectionStore.Default;
        if (connection is null)
        {
            WriteVerbose("Not connected. Run Connect-ConfluenceAudit, or set the CONFLUENCE_* environment variables.");
            return;
        }

        WriteObject(connection);
    }
}
