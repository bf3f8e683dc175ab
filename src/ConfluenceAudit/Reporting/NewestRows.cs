using System.Collections.Generic;

namespace ConfluenceAudit.Reporting;

/// <summary>
/// Keeps the newest <c>capacity</c> rows of any number offered, in any order, in memory that does not grow with the
/// number offered: a heap whose top is the oldest row kept.
/// </summary>
internal sealed class NewestRows
{
    private readonly List<ReportRow> heap = new List<ReportRow>();
    private readonly int capacity;

    public NewestRows(int capacity)
    {
        this.capacity = capacity;
    }

    /// <summary>How many rows were offered in all.</summary>
    public long Offered { get; private set; }

    public bool IsCapped => Offered > heap.Count;

    public int Capacity => capacity;

    public void Offer(ReportRow row)
    {
        Offered++;
        if (capacity <= 0)
        {
            return;
        }

        if (heap.Count < capacity)
        {
            heap.Add(row);
            SiftUp(heap.Count - 1);
            return;
        }

        // Keep it only when newer than the oldest row kept (which sorts last).
        if (ReportRow.NewestFirst(row, heap[0]) < 0)
        {
            heap[0] = row;
            SiftDown(0);
        }
    }

    /// <summary>The rows kept, newest first.</summary>
    public IReadOnlyList<ReportRow> NewestFirst()
    {
        var rows = new List<ReportRow>(heap);
        rows.Sort(ReportRow.NewestFirst);
        return rows;
    }

    // The heap's order: the row that sorts last (the oldest) on top.
    private bool Above(int i, int j) => ReportRow.NewestFirst(heap[i], heap[j]) > 0;

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Above(i, parent))
            {
                return;
            }

            (heap[i], heap[parent]) = (heap[parent], heap[i]);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            var right = left + 1;
            var top = i;
            if (left < heap.Count && Above(left, top))
            {
                top = left;
            }

            if (right < heap.Count && Above(right, top))
            {
                top = right;
            }

            if (top == i)
            {
                return;
            }

            (heap[i], heap[top]) = (heap[top], heap[i]);
            i = top;
        }
    }
}
