using System;
using System.Management.Automation;
using ConfluenceAudit.Http;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Commands
{
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
            var connection = ResolveConnection();
            if (!TryRun(token => AuditApiDiscovery.ResolveAsync(connection.Client, Log, token), connection.BaseUri, out var api))
            {
                return;
            }

            // Checked before any request that could change something (on Cloud, before any request at all).
            if (api == ConfluenceAuditApi.AuditResource && !RetentionRules.IsWithinOneYear(Number, Unit))
            {
                ThrowTerminatingError(ErrorRecords.Create("AuditRetentionTooLong", ErrorCategory.InvalidArgument,
                    $"Confluence keeps the audit log for at most 1 year, and {Number} {Unit} is longer. " +
                    "Give a period of at most 1 Years, 12 Months, 52 Weeks or 365 Days.", Number));
            }

            if (api == ConfluenceAuditApi.AuditingFramework && !RetentionRules.FitsPeriod(Unit))
            {
                ThrowTerminatingError(ErrorRecords.Create("RetentionUnitNotSupported", ErrorCategory.InvalidArgument,
                    $"Data Center keeps its audit retention in years, months and days, so {Number} {Unit} cannot be set. Use -Unit Days, Weeks, Months or Years.", Unit));
            }

            if (!TryRun(token => connection.Client.GetRetentionAsync(Log, token), connection.BaseUri, out var current))
            {
                return;
            }

            var next = $"{Number} {Unit}";
            var site = connection.BaseUri.AbsoluteUri;
            if (!ShouldProcess($"retention of {site}: {current} -> {next}", "Set audit retention"))
            {
                return;
            }

            if (RetentionRules.IsShorter(current, Number, Unit) && !Force && !ConfirmDeclinedExplicitly() && !ConfirmShortening(site, current, next))
            {
                return;
            }

            if (TryRun(token => connection.Client.SetRetentionAsync(Number, Unit, Log, token), connection.BaseUri, out var updated))
            {
                WriteVerbose($"The audit retention of {site} is now {updated} (was {current}).");
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
}
