using ConfluenceAudit.Emulator.DataCenter;

namespace ConfluenceAudit.Emulator.Store;

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
        if (added.Count == 0)
        {
            return Current.Count;
        }

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
