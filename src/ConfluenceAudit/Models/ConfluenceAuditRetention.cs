using System;

namespace ConfluenceAudit.Models;

/// <summary>How long Confluence keeps audit records, such as 3 Months.</summary>
public sealed class ConfluenceAuditRetention
{
    internal ConfluenceAuditRetention(int number, RetentionUnit units, Uri site, RetentionPeriod? period = null)
    {
        Number = number;
        Units = units;
        Site = site;
        Period = period;
    }

    /// <summary>
    /// Data Center's auditing framework: the period as the server keeps it (years, months, days), of which Number and
    /// Units are the largest unit that says it exactly. Empty on Cloud.
    /// </summary>
    public RetentionPeriod? Period { get; }

    public int Number { get; }

    public RetentionUnit Units { get; }

    /// <summary>The site this setting belongs to.</summary>
    public Uri Site { get; }

    /// <summary>The period's approximate length (months and years as Java's ChronoUnit estimates them), for comparing settings.</summary>
    public TimeSpan? Duration => RetentionLength.Of(Number, Units);

    /// <summary>"3 Months".</summary>
    public override string ToString() => Number.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + Units;
}
