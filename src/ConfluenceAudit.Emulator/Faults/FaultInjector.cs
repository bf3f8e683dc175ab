using ConfluenceAudit.Emulator.Seeding;

namespace ConfluenceAudit.Emulator.Faults;

/// <summary>
/// Decides, request by request, which fault (if any) an API request gets, and counts what happened. One lock
/// serializes the decisions, so a given seed and a given order of requests always give the same faults.
/// </summary>
internal sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _byKind = new(StringComparer.Ordinal);
    private FaultSettings _settings = FaultSettings.None;
    private Queue<string> _queue = new();
    private Rng _rng = new(1);
    private long _apiRequests;
    private long _faults;
    private long _inserted;

    public FaultInjector(FaultSettings initial) => Set(initial);

    public FaultSettings Settings
    {
        get
        {
            lock (_lock)
            {
                return _settings;
            }
        }
    }

    /// <summary>Replaces the settings, refills the queue and reseeds the random draws. Counters are kept.</summary>
    public void Set(FaultSettings settings)
    {
        lock (_lock)
        {
            _settings = settings;
            _queue = new Queue<string>(settings.Queue);
            _rng = new Rng(unchecked((ulong)settings.Seed));
        }
    }

    public FaultConfig Config()
    {
        lock (_lock)
        {
            FaultSettings s = _settings;
            return new FaultConfig(s.FailureRate, s.Kinds, s.RetryAfterSec, s.SlowMs, s.Seed, [.. _queue], s.Path, s.Method, s.InsertPerRequest, s.IgnoreStart, s.Body, s.BodyContentType);
        }
    }

    /// <summary>Counts one API request and returns the fault it gets (null: none), with the settings it was drawn
    /// under. <paramref name="isPage"/>: a GET of /audit or /audit/since (the only requests a 'short' fault changes).</summary>
    public (string? Kind, FaultSettings Settings) Next(string method, string path, bool isPage)
    {
        lock (_lock)
        {
            _apiRequests++;
            FaultSettings s = _settings;
            if (!s.Matches(method, path))
            {
                return (null, s);
            }

            string? kind = null;
            if (_queue.Count > 0)
            {
                kind = _queue.Dequeue();
            }
            else if (s.FailureRate > 0 && _rng.Chance(s.FailureRate))
            {
                kind = s.Kinds[_rng.Below(s.Kinds.Count)];
            }

            if (kind is null or FaultKinds.None || (kind == FaultKinds.Short && !isPage))
            {
                return (null, s);
            }

            _faults++;
            _byKind[kind] = _byKind.GetValueOrDefault(kind) + 1;
            return (kind, s);
        }
    }

    public void CountInserted(int count)
    {
        lock (_lock)
        {
            _inserted += count;
        }
    }

    public FaultStats Stats()
    {
        lock (_lock)
        {
            return new FaultStats(_apiRequests, _faults, new Dictionary<string, long>(_byKind, StringComparer.Ordinal), _inserted, _queue.Count);
        }
    }

    public void ClearStats()
    {
        lock (_lock)
        {
            _apiRequests = 0;
            _faults = 0;
            _inserted = 0;
            _byKind.Clear();
        }
    }

    /// <summary>No faults and zeroed counters.</summary>
    public void Reset()
    {
        Set(FaultSettings.None);
        ClearStats();
    }
}
