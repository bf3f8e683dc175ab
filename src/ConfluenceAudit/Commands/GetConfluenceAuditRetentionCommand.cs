using System.Management.Automation;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Commands
{
    /// <summary>How long the site keeps audit records (GET /audit/retention).</summary>
    [Cmdlet(VerbsCommon.Get, "ConfluenceAuditRetention")]
    [OutputType(typeof(ConfluenceAuditRetention))]
    public sealed class GetConfluenceAuditRetentionCommand : ConfluenceAuditApiCmdlet
    {
        protected override void EndProcessing()
        {
            var connection = ResolveConnection();
            if (TryRun(token => connection.Client.GetRetentionAsync(Log, token), connection.BaseUri, out var retention))
            {
                WriteObject(retention);
            }
        }
    }
}
