namespace ConfluenceAudit.Emulator;

/// <summary>Everything the endpoints share: the store, its search cache, the settings, the request log
/// and the known accounts.</summary>
internal sealed class EmulatorState(EmulatorOptions options, AuditStore store)
{
    private long _generated;

    public EmulatorOptions Options { get; } = options;

    public AuditStore Store { get; } = store;

    public SearchCache Search { get; } = new();

    public RuntimeSettings Settings { get; } = RuntimeSettings.From(options);

    public RequestLog Log { get; } = new();

    public Accounts Accounts { get; } = Accounts.From(options);

    /// <summary>Fault injection and its counters (GET /__emulator/stats).</summary>
    public FaultInjector Faults { get; } = new(options.Faults);

    /// <summary>Numbers generated insert batches, so each batch gets fresh records (deterministically).</summary>
    public long NextGeneratedIndex(int count) => Interlocked.Add(ref _generated, count) - count;

    /// <summary>Seeded records, start-up settings and an empty log: the state right after start, except that
    /// faults are cleared (even those given on the command line) and their counters zeroed.</summary>
    public void Reset()
    {
        Store.Reset();
        Search.Clear();
        Settings.Reset();
        Log.Clear();
        Faults.Reset();
        Interlocked.Exchange(ref _generated, 0);
    }
}
