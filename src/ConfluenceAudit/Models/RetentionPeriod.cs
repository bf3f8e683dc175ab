using System.Collections.Generic;
using System.Globalization;

namespace ConfluenceAudit.Models;

/// <summary>A retention period as Data Center's auditing framework keeps it: years, months and days.</summary>
public sealed class RetentionPeriod
{
    public RetentionPeriod(int years, int months, int days)
    {
        Years = years;
        Months = months;
        Days = days;
    }

    public int Years { get; }

    public int Months { get; }

    public int Days { get; }

    /// <summary>"1 Years 6 Months".</summary>
    public override string ToString()
    {
        var parts = new List<string>(3);
        if (Years != 0)
        {
            parts.Add(Years.ToString(CultureInfo.InvariantCulture) + " Years");
        }

        if (Months != 0)
        {
            parts.Add(Months.ToString(CultureInfo.InvariantCulture) + " Months");
        }

        if (Days != 0 || parts.Count == 0)
        {
            parts.Add(Days.ToString(CultureInfo.InvariantCulture) + " Days");
        }

        return string.Join(" ", parts);
    }
}
