using System;
using System.Collections.Generic;
using System.Globalization;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Listing;

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

    /// <summary>Data Center's own filters (auditing framework only); null when none was given.</summary>
    public DataCenterFilters? Filters { get; private set; }

    public bool IsSince => SinceNumber.HasValue;

    public string Path => IsSince ? ApiPaths.RecordsSince : ApiPaths.Records;

    public static AuditQuery Range(DateTimeOffset? startDate, DateTimeOffset? endDate, string? searchString)
    {
        if (startDate.HasValue && endDate.HasValue && startDate.Value > endDate.Value)
        {
            throw new ArgumentException(
                $"The start date ({startDate.Value:u}) is after the end date ({endDate.Value:u}).");
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

    public AuditQuery WithEndDate(DateTimeOffset endDate) => new AuditQuery(StartDate, endDate, SinceNumber, SinceUnit, SearchString) { Filters = Filters };

    public AuditQuery WithFilters(DataCenterFilters? filters) => new AuditQuery(StartDate, EndDate, SinceNumber, SinceUnit, SearchString) { Filters = filters is { IsEmpty: false } ? filters : null };

    /// <summary>
    /// The same records as a date range: Data Center has no /since, so the period back from <paramref name="now"/> is
    /// computed here (calendar months and years, as Java's ChronoUnit does), and the end is pinned to <paramref name="now"/>.
    /// </summary>
    public AuditQuery ToRange(DateTimeOffset now)
    {
        if (!IsSince)
        {
            return EndDate.HasValue ? this : WithEndDate(now);
        }

        var number = SinceNumber!.Value;
        DateTimeOffset start;
        try
        {
            start = SinceUnit switch
            {
                AuditTimeUnit.Nanos => now.AddTicks(-number / 100),
                AuditTimeUnit.Micros => now.AddTicks(-number * 10),
                AuditTimeUnit.Millis => now.AddMilliseconds(-number),
                AuditTimeUnit.Seconds => now.AddSeconds(-number),
                AuditTimeUnit.Minutes => now.AddMinutes(-number),
                AuditTimeUnit.Hours => now.AddHours(-number),
                AuditTimeUnit.HalfDays => now.AddHours(-12.0 * number),
                AuditTimeUnit.Days => now.AddDays(-number),
                AuditTimeUnit.Weeks => now.AddDays(-7.0 * number),
                AuditTimeUnit.Months => now.AddMonths(-checked((int)number)),
                AuditTimeUnit.Years => now.AddYears(-checked((int)number)),
                AuditTimeUnit.Decades => now.AddYears(-checked((int)(number * 10))),
                _ => now.AddYears(-checked((int)(number * 100))),
            };
        }
        catch (Exception exception) when (exception is ArgumentOutOfRangeException || exception is OverflowException)
        {
            start = DateTimeOffset.FromUnixTimeMilliseconds(0);
        }

        if (start < DateTimeOffset.FromUnixTimeMilliseconds(0))
        {
            start = DateTimeOffset.FromUnixTimeMilliseconds(0);
        }

        return new AuditQuery(start, now, null, default, SearchString) { Filters = Filters };
    }

    /// <summary>The query string of one page, in the order the API documents its parameters.</summary>
    public List<KeyValuePair<string, string>> ToParameters(int start, int limit)
    {
        var parameters = ToFilterParameters();
        Add(parameters, "start", start.ToString(CultureInfo.InvariantCulture));
        Add(parameters, "limit", limit.ToString(CultureInfo.InvariantCulture));
        return parameters;
    }

    /// <summary>What selects the records on the audit resource (dates or period, search), without paging: also the filters of its export.</summary>
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

    /// <summary>The same selection as Data Center's auditing framework names it (dates as ISO instants), shared by its listing and CSV export.</summary>
    public List<KeyValuePair<string, string>> ToFrameworkParameters()
    {
        var parameters = new List<KeyValuePair<string, string>>();
        if (StartDate is DateTimeOffset from)
        {
            Add(parameters, "from", AuditText.IsoUtc(from));
        }

        if (EndDate is DateTimeOffset to)
        {
            Add(parameters, "to", AuditText.IsoUtc(to));
        }

        if (SearchString is not null)
        {
            Add(parameters, "search", SearchString);
        }

        if (Filters is { } filters)
        {
            if (filters.Categories.Count > 0)
            {
                Add(parameters, "categories", string.Join(",", filters.Categories));
            }

            if (filters.Actions.Count > 0)
            {
                Add(parameters, "actions", string.Join(",", filters.Actions));
            }

            if (filters.AuthorIds.Count > 0)
            {
                Add(parameters, "userIds", string.Join(",", filters.AuthorIds));
            }

            if (filters.AffectedObjects.Count > 0)
            {
                Add(parameters, "affectedObject", string.Join(";", filters.AffectedObjects));
            }
        }

        return parameters;
    }

    private static void Add(List<KeyValuePair<string, string>> parameters, string name, string value) =>
        parameters.Add(new KeyValuePair<string, string>(name, value));
}
