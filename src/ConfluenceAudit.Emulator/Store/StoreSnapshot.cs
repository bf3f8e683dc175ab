using ConfluenceAudit.Emulator.DataCenter;

namespace ConfluenceAudit.Emulator.Store;

/// <summary>An immutable view of the store: the first <see cref="Count"/> slots of a buffer. Requests
/// take one snapshot and page through it without locks, while inserts publish new snapshots.</summary>
internal sealed class StoreSnapshot(RecordBuffer buffer, int count)
{
    internal RecordBuffer Buffer { get; } = buffer;

    public int Count { get; } = count;

    public long DateAt(int index) => Buffer.Dates[index];

    public ReadOnlyMemory<byte> JsonAt(int index) => Buffer.Json[index];

    public long IdAt(int index) => Buffer.Ids[index];

    public DataCenterEvent? EventAt(int index) => Buffer.Events[index];

    /// <summary>First index whose (date, id) is ≥ (<paramref name="date"/>, <paramref name="id"/>) (Count if none):
    /// the events strictly older than a cursor are the indices below it.</summary>
    public int LowerBound(long date, long id)
    {
        long[] dates = Buffer.Dates;
        long[] ids = Buffer.Ids;
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            int mid = (int)(((uint)lo + (uint)hi) >> 1);
            bool before = dates[mid] < date || (dates[mid] == date && ids[mid] < id);
            if (before)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>First index whose date is ≥ <paramref name="date"/> (Count if none).</summary>
    public int LowerBound(long date)
    {
        long[] dates = Buffer.Dates;
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            int mid = (int)(((uint)lo + (uint)hi) >> 1);
            if (dates[mid] < date)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>First index whose date is &gt; <paramref name="date"/> (Count if none).</summary>
    public int UpperBound(long date)
    {
        long[] dates = Buffer.Dates;
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            int mid = (int)(((uint)lo + (uint)hi) >> 1);
            if (dates[mid] <= date)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    public static StoreSnapshot FromSorted(IReadOnlyList<StoredRecord> records)
    {
        var buffer = new RecordBuffer(Math.Max(16, records.Count + (records.Count / 8)));
        for (int i = 0; i < records.Count; i++)
        {
            buffer.Dates[i] = records[i].CreationDate;
            buffer.Json[i] = records[i].Json;
            buffer.Ids[i] = i + 1;
            buffer.Events[i] = records[i].Event;
        }

        buffer.Claimed = records.Count;
        return new StoreSnapshot(buffer, records.Count);
    }
}
