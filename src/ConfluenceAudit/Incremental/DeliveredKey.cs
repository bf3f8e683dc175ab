namespace ConfluenceAudit.Incremental;

/// <summary>A record delivered in the overlap window: its content key, its time, and how many identical records were delivered.</summary>
internal sealed class DeliveredKey
{
    public DeliveredKey(string key, long epochMs, int count)
    {
        Key = key;
        EpochMs = epochMs;
        Count = count;
    }

    public string Key { get; }

    public long EpochMs { get; }

    public int Count { get; }
}
