using System;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Retention;

/// <summary>
/// What each audit API allows as a retention period (Cloud's one-year maximum, the framework's years, months and days),
/// so the module refuses a setting the server would refuse before anything is sent, and notices when a change shortens
/// retention.
/// </summary>
internal static class RetentionRules
{
    /// <summary>Whether Cloud (and the legacy Data Center resource) accepts this period: at least 1 unit, at most one year.</summary>
    public static bool IsWithinOneYear(long number, RetentionUnit unit) =>
        RetentionLength.Of(number, unit) is TimeSpan length && length <= RetentionLength.OneYear;

    /// <summary>Refuses what the audit resource refuses: a period longer than one year.</summary>
    public static void RequireWithinOneYear(int number, RetentionUnit unit)
    {
        if (!IsWithinOneYear(number, unit))
        {
            throw new InvalidAuditRequestException("AuditRetentionTooLong",
                $"Confluence keeps the audit log for at most 1 year, and {number} {unit} is longer. " +
                "Give a period of at most 1 Years, 12 Months, 52 Weeks or 365 Days.", number);
        }
    }

    /// <summary>Refuses what the auditing framework cannot keep: a period in units other than days, weeks, months or years.</summary>
    public static void RequirePeriodUnit(int number, RetentionUnit unit)
    {
        if (!FitsPeriod(unit))
        {
            throw new InvalidAuditRequestException("RetentionUnitNotSupported",
                $"Data Center keeps its audit retention in years, months and days, so {number} {unit} cannot be set.", unit);
        }
    }

    /// <summary>The units Data Center's auditing framework can keep a period in.</summary>
    public static bool FitsPeriod(RetentionUnit unit) =>
        unit == RetentionUnit.Days || unit == RetentionUnit.Weeks || unit == RetentionUnit.Months || unit == RetentionUnit.Years;

    /// <summary>A number of units as the framework's period; only for units where <see cref="FitsPeriod"/> holds.</summary>
    public static RetentionPeriod ToPeriod(int number, RetentionUnit unit) => unit switch
    {
        RetentionUnit.Years => new RetentionPeriod(number, 0, 0),
        RetentionUnit.Months => new RetentionPeriod(0, number, 0),
        RetentionUnit.Weeks => new RetentionPeriod(0, 0, checked(number * 7)),
        _ => new RetentionPeriod(0, 0, number),
    };

    /// <summary>
    /// The largest of Years, Months and Days that says the period exactly: 3 months is 3 Months, 1 year 6 months is
    /// 18 Months, 2 years is 2 Years; a period that mixes days with months or years is its total in Days, a month
    /// counted as 30 days and a year as 365.
    /// </summary>
    public static (int Number, RetentionUnit Units) FromPeriod(RetentionPeriod period)
    {
        if (period.Days == 0 && period.Months == 0)
        {
            return (period.Years, RetentionUnit.Years);
        }

        if (period.Days == 0)
        {
            return (checked((period.Years * 12) + period.Months), RetentionUnit.Months);
        }

        return (checked((period.Years * 365) + (period.Months * 30) + period.Days), RetentionUnit.Days);
    }

    /// <summary>True when <paramref name="next"/> keeps records for less time than <paramref name="current"/>.</summary>
    public static bool IsShorter(ConfluenceAuditRetention current, long number, RetentionUnit unit)
    {
        var before = current.Duration ?? TimeSpan.MaxValue;
        var after = RetentionLength.Of(number, unit) ?? TimeSpan.MaxValue;
        return after < before;
    }
}
