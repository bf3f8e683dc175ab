using System;
using System.Collections.Generic;
using System.Globalization;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Http
{
    /// <summary>What to list: a date range (GET /audit) or a period back from now (GET /audit/since).</summary>
    internal sealed class AuditQuery
    {
        private AuditQuery(DateTimeOffset? startDate, DateTimeOffset? endDate, long? sinceNumber, AuditTimeUnit sinceUnit, string? searchString)
        {
            StartDate = startDate;
            EndDate = endDate;
            SinceNumber = sinceNumber;
            SinceUnit = sinceUnit;
            SearchString = string.IsNullOrEmpty(searchString) ? null : searchString;
        }

        public DateTimeOffset? StartDate { get; }

        public DateTimeOffset? EndDate { get; }

        public long? SinceNumber { get; }

        public AuditTimeUnit SinceUnit { get; }

        public string? SearchString { get; }

        public bool IsSince => SinceNumber.HasValue;

        public string Path => IsSince ? AuditApiClient.RecordsPath + "/since" : AuditApiClient.RecordsPath;

        public static AuditQuery Range(DateTimeOffset? startDate, DateTimeOffset? endDate, string? searchString)
        {
            if (startDate.HasValue && endDate.HasValue && startDate.Value > endDate.Value)
            {
                throw new ArgumentException(
                    $"The start date ({startDate.Value:u}) is after the end date ({endDate.Value:u}). Give -StartDate before -EndDate.");
            }

            return new AuditQuery(startDate, endDate, null, default, searchString);
        }

        public static AuditQuery Since(long number, AuditTimeUnit unit, string? searchString)
        {
            if (number < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(number), number, "The number of units back from now must be at least 1.");
            }

            return new AuditQuery(null, null, number, unit, searchString);
        }

        public AuditQuery WithEndDate(DateTimeOffset endDate) => new AuditQuery(StartDate, endDate, SinceNumber, SinceUnit, SearchString);

        /// <summary>The query string of one page, in the order the API documents its parameters.</summary>
        public List<KeyValuePair<string, string>> ToParameters(int start, int limit)
        {
            var parameters = ToFilterParameters();
            Add(parameters, "start", start.ToString(CultureInfo.InvariantCulture));
            Add(parameters, "limit", limit.ToString(CultureInfo.InvariantCulture));
            return parameters;
        }

        /// <summary>What selects the records (dates or period, search), without paging: also the filters of an export.</summary>
        public List<KeyValuePair<string, string>> ToFilterParameters()
        {
            var parameters = new List<KeyValuePair<string, string>>(6);
            if (IsSince)
            {
                Add(parameters, "number", SinceNumber!.Value.ToString(CultureInfo.InvariantCulture));
                Add(parameters, "units", ApiNames.ToApiName(SinceUnit));
            }
            else
            {
                if (StartDate.HasValue)
                {
                    Add(parameters, "startDate", EpochTime.ToEpochMilliseconds(StartDate.Value).ToString(CultureInfo.InvariantCulture));
                }

                if (EndDate.HasValue)
                {
                    Add(parameters, "endDate", EpochTime.ToEpochMilliseconds(EndDate.Value).ToString(CultureInfo.InvariantCulture));
                }
            }

            if (SearchString is not null)
            {
                Add(parameters, "searchString", SearchString);
            }

            return parameters;
        }

        private static void Add(List<KeyValuePair<string, string>> parameters, string name, string value) =>
            parameters.Add(new KeyValuePair<string, string>(name, value));
    }
}
