using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Flavours;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Incremental;

/// <summary>
/// Reads the records created since a checkpoint, oldest first, each exactly once. The API lists newest first, so
/// the range is read in time windows from the oldest, each window reversed in memory (windows adapt to keep a
/// few thousand records each). Every read starts an overlap before the position, to catch records that share its
/// millisecond or arrived late, and skips what was already delivered by content key, counting identical records.
/// The caller marks records delivered as it hands them on, so a run cut short records exactly what got through.
/// </summary>
internal sealed class IncrementalReader
{
    private const int TargetPerWindow = 5000;
    private static readonly TimeSpan FirstWindow = TimeSpan.FromDays(1);
    private static readonly TimeSpan MinimumWindow = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaximumWindow = TimeSpan.FromDays(31);
    private readonly IAuditFlavour flavour;
    private readonly DataCenterFilters? filters;
    private readonly string? searchString;
    private readonly TimeSpan overlap;
    private readonly int pageSize;
    private readonly Dictionary<string, DeliveredKey> delivered = new Dictionary<string, DeliveredKey>(StringComparer.Ordinal);
    private TimeSpan window = FirstWindow;
    private DateTimeOffset windowStart;
    private DateTimeOffset until;
    private bool finished = true;

    /// <param name="position">Everything up to here was delivered before (a checkpoint), or where to begin (-StartDate).</param>
    /// <param name="floor">Where the pull began: nothing older is ever read, even in the overlap.</param>
    /// <param name="alreadyDelivered">Keys of records delivered within the overlap before <paramref name="position"/>.</param>
    public IncrementalReader(IAuditFlavour flavour, string? searchString, DataCenterFilters? filters, DateTimeOffset position, DateTimeOffset floor, IEnumerable<DeliveredKey> alreadyDelivered, TimeSpan overlap, int pageSize)
    {
        Floor = floor;
        this.pageSize = pageSize;
        this.flavour = flavour;
        this.filters = filters;
        this.searchString = searchString;
        this.overlap = overlap;
        Position = position;
        foreach (var entry in alreadyDelivered)
        {
            delivered[entry.Key] = entry;
        }
    }

    /// <summary>Every record dated up to this moment has been delivered.</summary>
    public DateTimeOffset Position { get; private set; }

    /// <summary>Where the pull began (the first run's -StartDate, or when -Follow started): nothing older is delivered.</summary>
    public DateTimeOffset Floor { get; }

    public long RecordsDelivered { get; private set; }

    /// <summary>Records skipped because an earlier run or window delivered them already.</summary>
    public long DuplicatesSkipped { get; private set; }

    /// <summary>Starts a read of everything up to <paramref name="end"/>; the first read of a checkpoint and every poll begin an overlap early.</summary>
    public void Begin(DateTimeOffset end, bool fromCheckpoint)
    {
        until = end;
        windowStart = fromCheckpoint && Position - overlap > Floor ? Position - overlap : fromCheckpoint ? Floor : Position;
        finished = false;
    }

    /// <summary>The next window's new records, oldest first; null once the read has reached its end.</summary>
    public async Task<IncrementalBatch?> NextBatchAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        if (finished)
        {
            return null;
        }

        var windowEnd = until - windowStart > window ? windowStart + window : until;
        var query = AuditQuery.Range(windowStart, windowEnd, searchString).WithFilters(filters);
        using var pager = flavour.List(query, 0, ulong.MaxValue, pageSize);
        var newestFirst = new List<ConfluenceAuditRecord>();
        while (await pager.NextPageAsync(log, cancellationToken).ConfigureAwait(false) is { } page)
        {
            newestFirst.AddRange(page);
        }

        var batch = new IncrementalBatch(windowEnd);
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = newestFirst.Count - 1; i >= 0; i--)
        {
            var record = newestFirst[i];
            var key = RecordKey.Of(record);
            occurrences.TryGetValue(key, out var seen);
            occurrences[key] = ++seen;
            if (delivered.TryGetValue(key, out var earlier) && seen <= earlier.Count)
            {
                DuplicatesSkipped++;
                continue;
            }

            batch.Add(record, key);
        }

        log.Verbose(string.Format(CultureInfo.InvariantCulture, "Window {0:u} .. {1:u}: {2} records, {3} new.", windowStart, windowEnd, newestFirst.Count, batch.Count));
        AdaptWindow(newestFirst.Count);
        // The next window starts where this one ended: the shared millisecond is read twice and deduplicated by key,
        // which is right whether the API's dates are inclusive or exclusive.
        finished = windowEnd >= until;
        windowStart = windowEnd;
        return batch;
    }

    /// <summary>Called after the record at <paramref name="index"/> of the batch was handed on.</summary>
    public void MarkDelivered(IncrementalBatch batch, int index)
    {
        var record = batch.Records[index];
        var key = batch.Keys[index];
        var epochMs = record.CreationDate?.ToUnixTimeMilliseconds() ?? Position.ToUnixTimeMilliseconds();
        delivered[key] = new DeliveredKey(key, epochMs, delivered.TryGetValue(key, out var earlier) ? earlier.Count + 1 : 1);
        RecordsDelivered++;
        if (record.CreationDate is DateTimeOffset date && date > Position)
        {
            Position = date;
        }
    }

    /// <summary>Called when every record of the batch was handed on: everything up to its window's end is delivered.</summary>
    public void Complete(IncrementalBatch batch)
    {
        if (batch.WindowEnd > Position)
        {
            Position = batch.WindowEnd;
        }

        // Only keys inside the overlap before the position can be met again.
        var horizon = (Position < windowStart ? Position : windowStart).ToUnixTimeMilliseconds() - (long)overlap.TotalMilliseconds;
        foreach (var stale in delivered.Values.Where(entry => entry.EpochMs < horizon).Select(entry => entry.Key).ToList())
        {
            delivered.Remove(stale);
        }
    }

    public Checkpoint ToCheckpoint(Uri site)
    {
        var horizon = Position.ToUnixTimeMilliseconds() - (long)overlap.TotalMilliseconds;
        var keep = delivered.Values.Where(entry => entry.EpochMs >= horizon).OrderBy(entry => entry.EpochMs).ThenBy(entry => entry.Key, StringComparer.Ordinal).ToList();
        return new Checkpoint(site, searchString, Position, Floor, keep);
    }

    private void AdaptWindow(int recordsInWindow)
    {
        if (recordsInWindow > TargetPerWindow && window > MinimumWindow)
        {
            window = TimeSpan.FromTicks(Math.Max(MinimumWindow.Ticks, window.Ticks / 2));
        }
        else if (recordsInWindow < TargetPerWindow / 4 && window < MaximumWindow)
        {
            window = TimeSpan.FromTicks(Math.Min(MaximumWindow.Ticks, window.Ticks * 2));
        }
    }
}
