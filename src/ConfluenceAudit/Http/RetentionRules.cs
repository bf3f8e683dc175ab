using System;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Http
{
    /// <summary>
    /// Lengths of retention periods as Confluence (java.time.ChronoUnit) estimates them, and Cloud's one-year maximum,
    /// so the module can refuse a setting the server would refuse, and notice when a change shortens retention.
    /// </summary>
    internal static class RetentionRules
    {
        /// <summary>ChronoUnit.YEARS: 365.2425 days.</summary>
        public static readonly TimeSpan OneYear = TimeSpan.FromTicks((long)(365.2425 * TimeSpan.TicksPerDay));

        /// <summary>The period's length, or null when it does not fit a TimeSpan (centuries of them, FOREVER).</summary>
        public static TimeSpan? Duration(long number, RetentionUnit unit)
        {
            double ticksPerUnit = unit switch
            {
                RetentionUnit.Nanos => 0.01,
                RetentionUnit.Micros => 10,
                RetentionUnit.Millis => TimeSpan.TicksPerMillisecond,
                RetentionUnit.Seconds => TimeSpan.TicksPerSecond,
                RetentionUnit.Minutes => TimeSpan.TicksPerMinute,
                RetentionUnit.Hours => TimeSpan.TicksPerHour,
                RetentionUnit.HalfDays => TimeSpan.TicksPerHour * 12,
                RetentionUnit.Days => TimeSpan.TicksPerDay,
                RetentionUnit.Weeks => TimeSpan.TicksPerDay * 7,
                RetentionUnit.Months => OneYear.Ticks / 12.0,
                RetentionUnit.Years => OneYear.Ticks,
                RetentionUnit.Decades => OneYear.Ticks * 10.0,
                RetentionUnit.Centuries => OneYear.Ticks * 100.0,
                RetentionUnit.Millennia => OneYear.Ticks * 1000.0,
                RetentionUnit.Eras => OneYear.Ticks * 1e9,
                _ => double.PositiveInfinity,
            };
            var ticks = number * ticksPerUnit;
            return ticks >= TimeSpan.MaxValue.Ticks ? (TimeSpan?)null : TimeSpan.FromTicks((long)ticks);
        }

        /// <summary>Whether Cloud (and the legacy Data Center resource) accepts this period: at least 1 unit, at most one year.</summary>
        public static bool IsWithinOneYear(long number, RetentionUnit unit) =>
            Duration(number, unit) is TimeSpan length && length <= OneYear;

        /// <summary>The units Data Center's auditing framework can keep a period in.</summary>
        public static bool FitsPeriod(RetentionUnit unit) =>
            unit == RetentionUnit.Days || unit == RetentionUnit.Weeks || unit == RetentionUnit.Months || unit == RetentionUnit.Years;

        /// <summary>-Number and -Unit as the framework's period; only for units where <see cref="FitsPeriod"/> holds.</summary>
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
            var after = Duration(number, unit) ?? TimeSpan.MaxValue;
            return after < before;
        }
    }
}
