using System;

namespace ConfluenceAudit.Models
{
    /// <summary>How long Confluence keeps audit records, such as 3 Months.</summary>
    public sealed class ConfluenceAuditRetention
    {
        internal ConfluenceAuditRetention(int number, RetentionUnit units, Uri site)
        {
            Number = number;
            Units = units;
            Site = site;
        }

        public int Number { get; }

        public RetentionUnit Units { get; }

        /// <summary>The site this setting belongs to.</summary>
        public Uri Site { get; }

        /// <summary>The period's approximate length (months and years as Java's ChronoUnit estimates them), for comparing settings.</summary>
        public TimeSpan? Duration => Http.RetentionRules.Duration(Number, Units);

        /// <summary>"3 Months".</summary>
        public override string ToString() => Number.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + Units;
    }
}
