namespace ConfluenceAudit.Emulator.Http;

/// <summary>Every API request since start (or the last clear), in arrival order. Capped so a long
/// benchmark cannot grow it without bound; the oldest entries go first.</summary>
internal sealed class RequestLog
{
    public const int MaxEntries = 200_000;
    private readonly Lock _lock = new();
    private readonly LinkedList<RequestLogEntry> _entries = new();

    public void Add(RequestLogEntry entry)
    {
        lock (_lock)
        {
            _entries.AddLast(entry);
            if (_entries.Count > MaxEntries)
            {
                _entries.RemoveFirst();
            }
        }
    }

    public List<RequestLogEntry> ToList()
    {
        lock (_lock)
        {
            return [.. _entries];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }
}
