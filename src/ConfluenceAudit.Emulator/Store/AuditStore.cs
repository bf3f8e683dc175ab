namespace ConfluenceAudit.Emulator;

/// <summary>One stored record: its creationDate (the sort key) and its JSON, serialized once. The JSON
/// is usually a slice of a shared 1 MiB chunk (see <see cref="JsonArena"/>), so a million records are
/// a few hundred large arrays for the GC, not a million small ones. In Data Center mode it also carries
/// the same record as the auditing framework's event (<paramref name="Event"/>); Cloud mode leaves it null.</summary>
internal readonly record struct StoredRecord(long CreationDate, ReadOnlyMemory<byte> Json, DataCenterEvent? Event = null);

/// <summary>Backing arrays shared by successive snapshots. Sorted by creationDate ascending (oldest
/// first); equal dates keep insertion order, so "newest first" is simply the reverse.</summary>
internal sealed class RecordBuffer(int capacity)
{
    public long[] Dates { get; } = new long[capacity];
    public ReadOnlyMemory<byte>[] Json { get; } = new ReadOnlyMemory<byte>[capacity];

    /// <summary>The events' ids (the second half of Data Center's cursor "&lt;epoch ms&gt;,&lt;id&gt;"): given in
    /// insertion order, so (date, id) ascends with the index.</summary>
    public long[] Ids { get; } = new long[capacity];

    public DataCenterEvent?[] Events { get; } = new DataCenterEvent?[capacity];

    /// <summary>How many slots some snapshot already exposes. A writer may only append in place when
    /// the current snapshot is the one that claimed them all: older or reset snapshots never see
    /// slots they did not publish.</summary>
    public int Claimed { get; set; }

    public int Capacity => Dates.Length;
}

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
            if (before) lo = mid + 1; else hi = mid;
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
            if (dates[mid] < date) lo = mid + 1; else hi = mid;
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
            if (dates[mid] <= date) lo = mid + 1; else hi = mid;
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

/// <summary>The audit log. Readers take <see cref="Current"/> (a volatile read, no lock); writers are
/// serialized by a lock and publish a new snapshot. Records arriving "now" append in place (amortized
/// O(1)); a record dated in the past copies the arrays once (24 bytes a record).</summary>
internal sealed class AuditStore
{
    private readonly Lock _writeLock = new();
    private readonly StoreSnapshot _seeded;
    private StoreSnapshot _current;
    private long _lastId;

    public AuditStore(StoreSnapshot seeded)
    {
        _seeded = seeded;
        _current = seeded;
        _lastId = seeded.Count;
    }

    public StoreSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Adds records; each goes after any existing record with the same date, so it is listed
    /// first among them (newest first). Returns the new total.</summary>
    public int Insert(IReadOnlyList<StoredRecord> added)
    {
        if (added.Count == 0) return Current.Count;
        StoredRecord[] batch = [.. added];

        // Stable sort: records with equal dates keep the order they were given in.
        StoredRecord[] sorted = [.. batch.OrderBy(r => r.CreationDate)];
        lock (_writeLock)
        {
            StoreSnapshot cur = _current;
            RecordBuffer buf = cur.Buffer;
            int n = cur.Count;
            int total = n + sorted.Length;
            // Ids in the batch's (date) order, after every id given so far: among equal dates the newer record
            // is both further along and higher in id, so (date, id) keeps ascending with the index.
            long firstId = _lastId + 1;
            _lastId += sorted.Length;
            bool appendsAtEnd = n == 0 || sorted[0].CreationDate >= buf.Dates[n - 1];
            if (appendsAtEnd && buf.Claimed == n && total <= buf.Capacity)
            {
                for (int i = 0; i < sorted.Length; i++)
                {
                    buf.Dates[n + i] = sorted[i].CreationDate;
                    buf.Json[n + i] = sorted[i].Json;
                    buf.Ids[n + i] = firstId + i;
                    buf.Events[n + i] = sorted[i].Event;
                }

                buf.Claimed = total;
                Volatile.Write(ref _current, new StoreSnapshot(buf, total));
                return total;
            }

            var next = new RecordBuffer(Math.Max(16, total + (total / 2)));
            Merge(cur, sorted, firstId, next);
            next.Claimed = total;
            Volatile.Write(ref _current, new StoreSnapshot(next, total));
            return total;
        }
    }

    /// <summary>Back to the seeded records. The seeded buffer may have slots claimed by later appends,
    /// so the next append will copy instead of writing into them.</summary>
    public void Reset()
    {
        lock (_writeLock)
        {
            Volatile.Write(ref _current, _seeded);
            _lastId = _seeded.Count;
        }
    }

    private static void Merge(StoreSnapshot cur, StoredRecord[] sorted, long firstId, RecordBuffer next)
    {
        long[] dates = cur.Buffer.Dates;
        ReadOnlyMemory<byte>[] json = cur.Buffer.Json;
        long[] ids = cur.Buffer.Ids;
        DataCenterEvent?[] events = cur.Buffer.Events;
        int i = 0, j = 0, k = 0;
        while (i < cur.Count || j < sorted.Length)
        {
            // "<=": an existing record with the same date stays before (older than) the new one.
            if (j >= sorted.Length || (i < cur.Count && dates[i] <= sorted[j].CreationDate))
            {
                next.Dates[k] = dates[i];
                next.Json[k] = json[i];
                next.Ids[k] = ids[i];
                next.Events[k] = events[i];
                i++;
            }
            else
            {
                next.Dates[k] = sorted[j].CreationDate;
                next.Json[k] = sorted[j].Json;
                next.Ids[k] = firstId + j;
                next.Events[k] = sorted[j].Event;
                j++;
            }

            k++;
        }
    }
}
