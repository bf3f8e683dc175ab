using System;
using System.Collections.Generic;
using System.Linq;

namespace ConfluenceAudit.Reporting;

/// <summary>
/// Counts values (authors, addresses) in bounded memory. Exact while there are at most <c>capacity</c> distinct values;
/// past that the rarest half is dropped whenever the table fills up, so the most frequent values stay (their counts may
/// then be low by at most <see cref="MaxDropped"/>), and <see cref="IsApproximate"/> says so.
/// </summary>
internal sealed class TopCounter
{
    private readonly Dictionary<string, long> counts = new Dictionary<string, long>(StringComparer.Ordinal);
    private readonly int capacity;

    public TopCounter(int capacity = 20000)
    {
        this.capacity = Math.Max(2, capacity);
    }

    /// <summary>True when values were dropped to stay within the capacity.</summary>
    public bool IsApproximate { get; private set; }

    /// <summary>The largest count ever dropped: how far a kept count may be below the truth.</summary>
    public long MaxDropped { get; private set; }

    public int Distinct => counts.Count;

    public void Add(string value)
    {
        if (counts.TryGetValue(value, out var count))
        {
            counts[value] = count + 1;
            return;
        }

        if (counts.Count >= capacity)
        {
            Prune();
        }

        counts[value] = 1;
    }

    /// <summary>The <paramref name="count"/> most frequent values, most frequent first (ties by name).</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Top(int count) =>
        counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(count).ToList();

    private void Prune()
    {
        var ordered = counts.OrderBy(p => p.Value).Take(capacity / 2).ToList();
        foreach (var pair in ordered)
        {
            counts.Remove(pair.Key);
            MaxDropped = Math.Max(MaxDropped, pair.Value);
        }

        IsApproximate = true;
    }
}
