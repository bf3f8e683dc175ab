namespace ConfluenceAudit.Emulator.Store;

/// <summary>The records matching a request's filters, newest first, over one snapshot. Either a range
/// of the snapshot's indices, or a range of a search's (ascending) match list.</summary>
internal readonly struct RecordSelection
{
    private readonly int[]? _matches;
    private readonly int _lo;
    private readonly int _hi;

    private RecordSelection(StoreSnapshot snapshot, int[]? matches, int lo, int hi)
    {
        Snapshot = snapshot;
        _matches = matches;
        _lo = lo;
        _hi = Math.Max(lo, hi);
    }

    public StoreSnapshot Snapshot { get; }

    public int Count => _hi - _lo;

    /// <summary>The snapshot index of the <paramref name="k"/>-th newest selected record.</summary>
    public int IndexOfNewest(int k) => _matches is null ? _hi - 1 - k : _matches[_hi - 1 - k];

    public ReadOnlyMemory<byte> JsonOfNewest(int k) => Snapshot.JsonAt(IndexOfNewest(k));

    /// <summary>Records with <paramref name="from"/> ≤ creationDate ≤ <paramref name="to"/> (both
    /// inclusive, either open) whose text contains <paramref name="search"/> (case-insensitive).</summary>
    public static RecordSelection Select(StoreSnapshot snapshot, long? from, long? to, string? search, SearchCache cache)
    {
        if (string.IsNullOrEmpty(search))
        {
            int lo = from is null ? 0 : snapshot.LowerBound(from.Value);
            int hi = to is null ? snapshot.Count : snapshot.UpperBound(to.Value);
            return new RecordSelection(snapshot, null, lo, hi);
        }

        // Dates ascend with the index, so the match list is sorted by date too: binary search it.
        int[] matches = cache.Matches(snapshot, search);
        int mlo = from is null ? 0 : Bound(snapshot, matches, from.Value, inclusive: false);
        int mhi = to is null ? matches.Length : Bound(snapshot, matches, to.Value, inclusive: true);
        return new RecordSelection(snapshot, matches, mlo, mhi);
    }

    // First position whose date is >= date (inclusive: false) or > date (inclusive: true).
    private static int Bound(StoreSnapshot snapshot, int[] matches, long date, bool inclusive)
    {
        int lo = 0, hi = matches.Length;
        while (lo < hi)
        {
            int mid = (int)(((uint)lo + (uint)hi) >> 1);
            long d = snapshot.DateAt(matches[mid]);
            bool before = inclusive ? d <= date : d < date;
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
}
