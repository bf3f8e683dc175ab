using System;
using System.Collections.Generic;
using System.Globalization;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Listing;

/// <summary>
/// Where a listing stands: the last record returned (the anchor) and the records returned in its millisecond, counted
/// by content key. Records have no id, so a page that repeats the anchor tells how far the list shifted; when several
/// records share the anchor's millisecond (identical copies among them cannot be told apart), the page repeats all of
/// them, and counting copies tells exactly which were returned.
/// </summary>
internal sealed class ListingAnchor
{
    private readonly Dictionary<string, int> anchorGroup = new Dictionary<string, int>(StringComparer.Ordinal);
    private int anchorGroupSize;
    private string? anchorKey;
    private long? anchorTime;

    /// <summary>False until a record was returned.</summary>
    public bool IsSet => anchorKey is not null;

    /// <summary>How many records were returned in the anchor's millisecond, the anchor included.</summary>
    public int GroupSize => anchorGroupSize;

    /// <summary>Records skipped because they had been returned already.</summary>
    public long DuplicatesSkipped { get; private set; }

    /// <summary>
    /// Whether a page must repeat every record of the anchor's millisecond: only when the anchor has identical copies
    /// among them, as then the anchor alone cannot tell how far the list shifted. Otherwise the anchor's content key is
    /// unique, and repeating the anchor alone tells it exactly.
    /// </summary>
    public bool NeedsWholeGroup => anchorKey is not null && anchorGroup.TryGetValue(anchorKey, out var copies) && copies > 1;

    /// <summary>Whether a page that repeats <paramref name="overlap"/> records starts where it was asked to: at the
    /// anchor, or (repeating more than the anchor) at the first record of the anchor's millisecond.</summary>
    public bool IsFirstOf(IReadOnlyList<ConfluenceAuditRecord> records, int overlap) =>
        records.Count > 0 && (overlap > 1
            ? records[0].CreationDate?.ToUnixTimeMilliseconds() == anchorTime && anchorGroup.ContainsKey(RecordKey.Of(records[0]))
            : RecordKey.Of(records[0]) == anchorKey);

    /// <summary>The records after the anchor; when the anchor is not on the page, those older than it.</summary>
    public IReadOnlyList<ConfluenceAuditRecord> After(IReadOnlyList<ConfluenceAuditRecord> records, IOperationLog log)
    {
        if (anchorGroupSize > 1)
        {
            // The page starts at the anchor's millisecond: what is newer, and as many copies of each record of that
            // millisecond as were returned, were returned already.
            return NewerRemoved(records);
        }

        for (var i = 0; i < records.Count; i++)
        {
            if (RecordKey.Of(records[i]) == anchorKey)
            {
                if (i > 0)
                {
                    DuplicatesSkipped += i;
                    log.Verbose(string.Format(CultureInfo.InvariantCulture,
                        "{0} records arrived while listing and shifted the pages; skipped the {0} already returned.", i));
                }

                return Slice(records, i + 1, records.Count - i - 1);
            }
        }

        var fresh = NewerRemoved(records);
        log.Verbose(string.Format(CultureInfo.InvariantCulture,
            "The list moved by more than a page while listing; skipped {0} records already returned, by their dates and content.", records.Count - fresh.Count));
        return fresh;
    }

    public List<ConfluenceAuditRecord> NewerRemoved(IReadOnlyList<ConfluenceAuditRecord> records)
    {
        var fresh = new List<ConfluenceAuditRecord>(records.Count);
        var copiesLeft = new Dictionary<string, int>(anchorGroup, StringComparer.Ordinal);
        foreach (var record in records)
        {
            var time = record.CreationDate?.ToUnixTimeMilliseconds();
            var returned = time is long t && anchorTime is long anchor
                ? t > anchor || (t == anchor && TakeCopy(copiesLeft, RecordKey.Of(record)))
                : RecordKey.Of(record) == anchorKey;
            if (!returned)
            {
                fresh.Add(record);
            }
        }

        DuplicatesSkipped += records.Count - fresh.Count;
        return fresh;
    }

    private static bool TakeCopy(Dictionary<string, int> copiesLeft, string key)
    {
        if (!copiesLeft.TryGetValue(key, out var left) || left == 0)
        {
            return false;
        }

        copiesLeft[key] = left - 1;
        return true;
    }

    /// <summary>The last record returned becomes the anchor; the records of its millisecond, counted, tell its neighbours apart.</summary>
    public void Remember(IReadOnlyList<ConfluenceAuditRecord> returned)
    {
        var last = returned[returned.Count - 1];
        var lastTime = last.CreationDate?.ToUnixTimeMilliseconds();
        if (lastTime != anchorTime)
        {
            anchorGroup.Clear();
            anchorGroupSize = 0;
        }

        anchorKey = RecordKey.Of(last);
        anchorTime = lastTime;
        for (var i = returned.Count - 1; i >= 0 && returned[i].CreationDate?.ToUnixTimeMilliseconds() == lastTime; i--)
        {
            var key = RecordKey.Of(returned[i]);
            anchorGroup[key] = anchorGroup.TryGetValue(key, out var copies) ? copies + 1 : 1;
            anchorGroupSize++;
        }
    }

    /// <summary>Records from..from+count of a page; the page itself when that is all of it.</summary>
    internal static IReadOnlyList<ConfluenceAuditRecord> Slice(IReadOnlyList<ConfluenceAuditRecord> records, int from, int count)
    {
        if (from == 0 && count == records.Count)
        {
            return records;
        }

        var slice = new List<ConfluenceAuditRecord>(count);
        for (var i = from; i < from + count; i++)
        {
            slice.Add(records[i]);
        }

        return slice;
    }
}
