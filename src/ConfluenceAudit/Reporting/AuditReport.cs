using System;
using System.Collections.Generic;
using System.Linq;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Reporting;

/// <summary>
/// An audit review report's figures, gathered as records stream past: totals, activity over time, categories, top
/// authors and addresses, sensitive events, activity outside working hours, and the newest records for the table.
/// Memory is bounded whatever the number of records (hour buckets grow with the time span, not the record count;
/// the rest is capped). It knows no output format: <see cref="HtmlReportWriter"/> reads it, another writer could.
/// </summary>
internal sealed class AuditReport
{
    /// <summary>How many records the records table shows at most; every count covers all records.</summary>
    public const int DefaultTableRows = 10000;

    /// <summary>How many sensitive events are listed one by one at most; their counts cover all.</summary>
    public const int DefaultSensitiveRows = 1000;

    private readonly Dictionary<DateTime, long> hours = new Dictionary<DateTime, long>();
    private readonly Dictionary<string, long> sensitiveCounts = new Dictionary<string, long>(StringComparer.Ordinal);
    private readonly Dictionary<string, long> outsideSensitiveCounts = new Dictionary<string, long>(StringComparer.Ordinal);

    public AuditReport(TimeZoneInfo timeZone, WorkingHours workingHours, int tableRows = DefaultTableRows, int sensitiveRows = DefaultSensitiveRows)
    {
        TimeZone = timeZone;
        WorkingHours = workingHours;
        Rows = new NewestRows(tableRows);
        SensitiveRows = new NewestRows(sensitiveRows);
    }

    public TimeZoneInfo TimeZone { get; }

    public WorkingHours WorkingHours { get; }

    public long Total { get; private set; }

    /// <summary>Records without a creation date: counted in the totals, not in time-based figures.</summary>
    public long Undated { get; private set; }

    public DateTimeOffset? Earliest { get; private set; }

    public DateTimeOffset? Latest { get; private set; }

    public TopCounter Categories { get; } = new TopCounter(5000);

    public TopCounter Authors { get; } = new TopCounter();

    public TopCounter Addresses { get; } = new TopCounter();

    public long SensitiveTotal { get; private set; }

    public long OutsideHoursTotal { get; private set; }

    public TopCounter OutsideHoursAuthors { get; } = new TopCounter();

    public NewestRows Rows { get; }

    public NewestRows SensitiveRows { get; }

    /// <summary>Sensitive events per kind, in the order of <see cref="SensitiveEvents.Rules"/>, with the kinds that had none.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> SensitiveByKind =>
        SensitiveEvents.Rules.Select(r => new KeyValuePair<string, long>(r.Kind, sensitiveCounts.TryGetValue(r.Kind, out var n) ? n : 0)).ToList();

    /// <summary>Sensitive events outside working hours per kind, like <see cref="SensitiveByKind"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> OutsideHoursSensitiveByKind =>
        SensitiveEvents.Rules.Select(r => new KeyValuePair<string, long>(r.Kind, outsideSensitiveCounts.TryGetValue(r.Kind, out var n) ? n : 0)).ToList();

    /// <summary>True when activity is shown per hour: the records span less than three days.</summary>
    public bool Hourly => Earliest is DateTimeOffset first && Latest is DateTimeOffset last && last - first < TimeSpan.FromDays(3);

    public void Add(ConfluenceAuditRecord record)
    {
        if (record is null)
        {
            return;
        }

        Total++;
        var category = record.Category.Length == 0 ? "(none)" : record.Category;
        var author = record.Author is null || record.Author.DisplayName.Length == 0 ? "(unknown)" : record.Author.DisplayName;
        var address = record.RemoteAddress.Length == 0 ? "(none)" : record.RemoteAddress;
        Categories.Add(category);
        Authors.Add(author);
        Addresses.Add(address);

        var outside = false;
        if (record.CreationDate is DateTimeOffset date)
        {
            Earliest = Earliest is DateTimeOffset e && e <= date ? e : date;
            Latest = Latest is DateTimeOffset l && l >= date ? l : date;
            var local = ToLocal(date);
            var hour = new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0);
            hours[hour] = (hours.TryGetValue(hour, out var n) ? n : 0) + 1;
            outside = !WorkingHours.Contains(local);
        }
        else
        {
            Undated++;
        }

        if (outside)
        {
            OutsideHoursTotal++;
            OutsideHoursAuthors.Add(author);
        }

        var match = SensitiveEvents.Match(record);
        var row = new ReportRow(Total, record.CreationDate, category, record.Summary, author, record.RemoteAddress,
            record.AffectedObject?.ToString() ?? string.Empty, match?.Rule.Kind, match?.How, outside);
        if (match is { } found)
        {
            SensitiveTotal++;
            sensitiveCounts[found.Rule.Kind] = (sensitiveCounts.TryGetValue(found.Rule.Kind, out var s) ? s : 0) + 1;
            if (outside)
            {
                outsideSensitiveCounts[found.Rule.Kind] = (outsideSensitiveCounts.TryGetValue(found.Rule.Kind, out var o) ? o : 0) + 1;
            }

            SensitiveRows.Offer(row);
        }

        Rows.Offer(row);
    }

    /// <summary>An instant as the report's clock shows it.</summary>
    public DateTime ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime;

    /// <summary>
    /// Records per hour (when <see cref="Hourly"/>) or per day, from the first bucket to the last, empty buckets included,
    /// oldest first: each bucket's start on the report's clock and its count.
    /// </summary>
    public IReadOnlyList<KeyValuePair<DateTime, long>> Activity()
    {
        var result = new List<KeyValuePair<DateTime, long>>();
        if (hours.Count == 0)
        {
            return result;
        }

        var hourly = Hourly;
        var buckets = new Dictionary<DateTime, long>();
        foreach (var pair in hours)
        {
            var key = hourly ? pair.Key : pair.Key.Date;
            buckets[key] = (buckets.TryGetValue(key, out var n) ? n : 0) + pair.Value;
        }

        var step = hourly ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        var last = buckets.Keys.Max();
        for (var at = buckets.Keys.Min(); at <= last; at += step)
        {
            result.Add(new KeyValuePair<DateTime, long>(at, buckets.TryGetValue(at, out var n) ? n : 0));
        }

        return result;
    }
}
