using System;
using System.Globalization;

namespace ConfluenceAudit.Serialization;

/// <summary>
/// The one check of every JSON answer before anything of it reaches the pipeline or a checkpoint
/// (Http/AuditHttpClient applies it to each answer it reads). What the JSON types already enforce (an object where
/// an object belongs, a number where a number belongs, a depth no real answer reaches) fails while parsing; this
/// checks what they cannot: entries that are null, records without a creation date, dates out of range, pages not
/// newest first, retention periods without a number. The answer is the problem in the API's terms, or null when the answer is sound.
/// </summary>
internal static class WireValidation
{
    /// <summary>No audit record is older than this: the audit log did not exist before.</summary>
    public static readonly DateTimeOffset Earliest = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of this machine's clock a record may be dated (clocks differ; a day is generous).</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromDays(1);

    public static string? Problem(object answer, DateTimeOffset now) => answer switch
    {
        WireAuditRecordArray page => Problem(page, now),
        WireEventPage page => Problem(page, now),
        WireRetentionPeriod period => period.Number is null || period.Units is null ? "the retention period has no 'number' or no 'units'." : null,
        WireRetentionConfiguration configuration => configuration.Period is null ? "the retention configuration has no 'period'." : null,
        _ => null,
    };

    private static string? Problem(WireAuditRecordArray page, DateTimeOffset now)
    {
        if (page.Results is null)
        {
            return "the page has no 'results' array.";
        }

        if (page.Start < 0 || page.Limit < 0 || page.Size < 0)
        {
            return "the page's 'start', 'limit' or 'size' is negative.";
        }

        for (var i = 0; i < page.Results.Count; i++)
        {
            if (RecordProblem(page.Results[i], i, now) is string problem)
            {
                return problem;
            }

            if (i > 0 && page.Results[i]!.CreationDate > page.Results[i - 1]!.CreationDate)
            {
                return OrderProblem("results", i);
            }
        }

        return null;
    }

    private static string? RecordProblem(WireAuditRecord? record, int index, DateTimeOffset now)
    {
        if (record is null)
        {
            return $"results[{index}] is null, not an audit record.";
        }

        if (record.CreationDate is not long ms)
        {
            return $"results[{index}] has no 'creationDate': it is not an audit record.";
        }

        return DateProblem(ms, $"results[{index}].creationDate", now);
    }

    private static string? Problem(WireEventPage page, DateTimeOffset now)
    {
        if (page.Entities is null)
        {
            return "the page has no 'entities' array.";
        }

        var previous = DateTimeOffset.MaxValue;
        for (var i = 0; i < page.Entities.Count; i++)
        {
            var entity = page.Entities[i];
            if (entity is null)
            {
                return $"entities[{i}] is null, not an audit event.";
            }

            if (string.IsNullOrEmpty(entity.Timestamp))
            {
                return $"entities[{i}] has no 'timestamp': it is not an audit event.";
            }

            if (!TryParseInstant(entity.Timestamp!, out var instant))
            {
                return $"entities[{i}].timestamp '{Shorten(entity.Timestamp!)}' is not a date.";
            }

            if (DateProblem(instant.ToUnixTimeMilliseconds(), $"entities[{i}].timestamp", now) is string problem)
            {
                return problem;
            }

            if (instant > previous)
            {
                return OrderProblem("entities", i);
            }

            previous = instant;
        }

        if (page.PagingInfo is null)
        {
            return "the page has no 'pagingInfo'.";
        }

        return null;
    }

    /// <summary>An ISO 8601 instant as the auditing framework writes it.</summary>
    public static bool TryParseInstant(string text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);

    private static string? DateProblem(long epochMs, string field, DateTimeOffset now)
    {
        var latest = now + ClockTolerance;
        if (epochMs < Earliest.ToUnixTimeMilliseconds() || epochMs > latest.ToUnixTimeMilliseconds())
        {
            return string.Format(CultureInfo.InvariantCulture,
                "{0} is {1}, outside the dates an audit record can have ({2:yyyy-MM-dd} to {3:yyyy-MM-dd}, a day past this machine's clock).",
                field, epochMs, Earliest, latest);
        }

        return null;
    }

    /// <summary>Paging, de-duplication and checkpoints all rest on the newest-first order: a page out of order is not used.</summary>
    private static string OrderProblem(string array, int index) =>
        $"{array}[{index}] is newer than {array}[{index - 1}]: the page is not newest first.";

    private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "…";
}
