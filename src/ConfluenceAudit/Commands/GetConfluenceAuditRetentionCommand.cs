using System.Management.Automation;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Commands;

/// <summary>How long the site keeps audit records (GET /audit/retention).</summary>
[Cmdlet(VerbsCommon.Get, "ConfluenceAuditRetention")]
[OutputType(typeof(ConfluenceAuditRetention))]
public sealed class GetConfluenceAuditRetentionCommand : ConfluenceAuditApiCmdlet
{
    protected override void EndProcessing()
    {
        var session = ResolveSession();
        if (TryRun(token => session.GetRetentionAsync(Log, token), session.BaseUri, out var retention))
        {
            WriteObject(retention);
        }
    }
}
