using System;
using System.Collections.Generic;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Incremental;

/// <summary>The new records of one time window, oldest first, with their content keys.</summary>
internal sealed class IncrementalBatch
{
    private readonly List<ConfluenceAuditRecord> records = new List<ConfluenceAuditRecord>();
    private readonly List<string> keys = new List<string>();

    public IncrementalBatch(DateTimeOffset windowEnd)
    {
        WindowEnd = windowEnd;
    }

    public DateTimeOffset WindowEnd { get; }

    public IReadOnlyList<ConfluenceAuditRecord> Records => records;

    public IReadOnlyList<string> Keys => keys;

    public int Count => records.Count;

    public void Add(ConfluenceAuditRecord record, string key)
    {
        records.Add(record);
        keys.Add(key);
    }
}
