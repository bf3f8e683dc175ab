using System;
using System.Management.Automation;
using ConfluenceAudit.Models;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>
/// Changes how long the site keeps audit records (PUT /audit/retention). Shortening the period deletes the
/// records that fall outside it, so a shorter period is confirmed even when $ConfirmPreference would not ask,
/// unless -Force or -Confirm:$false is given.
/// </summary>
[Cmdlet(VerbsCommon.Set, "ConfluenceAuditRetention", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ConfluenceAuditRetention))]
public sealed class SetConfluenceAuditRetentionCommand : ConfluenceAuditApiCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, int.MaxValue)]
    public int Number { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Units")]
    [ApiEnumNameTransformation(typeof(RetentionUnit))]
    public RetentionUnit Unit { get; set; }

    /// <summary>Shorten the retention without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var session = ResolveSession();
        if (!TryRun(token => session.PlanRetentionChangeAsync(Number, Unit, Log, token), session.BaseUri, out var change))
        {
            return;
        }

        var site = session.BaseUri.AbsoluteUri;
        if (!ShouldProcess($"retention of {site}: {change.Current} -> {change.Next}", "Set audit retention"))
        {
            return;
        }

        if (change.IsShortening && !Force && !ConfirmDeclinedExplicitly() && !ConfirmShortening(site, change.Current, change.Next))
        {
            return;
        }

        if (TryRun(token => session.ApplyRetentionChangeAsync(change, Log, token), session.BaseUri, out var updated))
        {
            WriteVerbose($"The audit retention of {site} is now {updated} (was {change.Current}).");
            if (PassThru)
            {
                WriteObject(updated);
            }
        }
    }

    private bool ConfirmShortening(string site, ConfluenceAuditRetention current, string next)
    {
        try
        {
            return ShouldContinue(
                $"Shortening the audit retention of {site} from {current} to {next} permanently deletes the audit records older than {next}. Continue?",
                "Shorten audit retention");
        }
        catch (Exception exception) when (exception is PSInvalidOperationException || exception is System.Management.Automation.Host.HostException || exception is NotImplementedException)
        {
            // No one to ask (a scheduled script, pwsh -NonInteractive): refuse rather than delete records unasked.
            ThrowTerminatingError(ErrorRecords.Create("AuditRetentionShorteningNotConfirmed", ErrorCategory.PermissionDenied,
                $"Shortening the audit retention of {site} from {current} to {next} deletes audit records, and this session cannot ask for confirmation. " +
                "Pass -Force (or -Confirm:$false) to shorten it unattended.", current, exception));
            return false;
        }
    }

    /// <summary>-Confirm:$false is how scripts say "do not ask"; it must skip the extra question too.</summary>
    private bool ConfirmDeclinedExplicitly() =>
        MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm) && confirm is SwitchParameter value && !value.IsPresent;
}
