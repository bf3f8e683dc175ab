using ConfluenceAudit.Emulator.DataCenter;
using ConfluenceAudit.Emulator.Faults;
using ConfluenceAudit.Emulator.Hosting;
using ConfluenceAudit.Emulator.Http;
using ConfluenceAudit.Emulator.OAuth;
using ConfluenceAudit.Emulator.Seeding;
using ConfluenceAudit.Emulator.Store;

namespace ConfluenceAudit.Emulator;

/// <summary>Everything the endpoints share: the store, its search cache, the settings, the request log
/// and the known accounts.</summary>
internal sealed class EmulatorState(EmulatorOptions options, AuditStore store, DataCenterProfile? dataCenter = null)
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

    /// <summary>The service account's credential and the access tokens it bought.</summary>
    public TokenIssuer OAuth { get; } = new(options.ClientId, options.ClientSecret, options.TokenLifetimeSec, options.CloudId);

    /// <summary>Where the API gateway's requests for the site begin (Cloud mode): /ex/confluence/{cloudId}/wiki/rest/.</summary>
    public string GatewayApiPrefix { get; } = OAuthEndpoints.GatewayPath(options.CloudId) + "/wiki/rest/";

    /// <summary>API requests, which faults, latency and arrivals apply to: under <see cref="ApiPrefix"/>, the gateway's, and the token endpoint.</summary>
    public bool IsApiPath(string path) =>
        path.StartsWith(ApiPrefix, StringComparison.Ordinal)
        || (DataCenter is null && (path.StartsWith(GatewayApiPrefix, StringComparison.Ordinal) || path == OAuthEndpoints.CloudTokenPath));

    /// <summary>The Data Center profile (events, names, accounts); null in Cloud mode.</summary>
    public DataCenterProfile? DataCenter { get; } = dataCenter;

    /// <summary>Where API requests begin: /wiki/rest/ on Cloud, {context}/rest/ on Data Center. Faults, latency and
    /// arrivals apply under it only.</summary>
    public string ApiPrefix { get; } = options.ContextPath + "/rest/";

    /// <summary>The listings, where records arrive (--insert-per-request) and pages can be short: GET /audit and
    /// /audit/since of the Cloud-shaped resource, and on Data Center the framework's events.</summary>
    public bool IsPagePath(string path)
    {
        string p = path.TrimEnd('/');
        string legacy = Options.ContextPath + "/rest/api/audit";
        string gateway = GatewayApiPrefix + "api/audit";
        return p == legacy || p == legacy + "/since" || (DataCenter is null && (p == gateway || p == gateway + "/since"))
            || (DataCenter is not null && p == Options.ContextPath + DataCenterEndpoints.EventsPath);
    }

    /// <summary>The server's "now" in epoch ms: this machine's clock plus the configured offset.</summary>
    public long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + Settings.Current.ClockOffsetMs;

    /// <summary>Numbers generated insert batches, so each batch gets fresh records (deterministically).</summary>
    public long NextGeneratedIndex(int count) => Interlocked.Add(ref _generated, count) - count;

    /// <summary>New generated records dated <paramref name="creationDate"/> (with their event view on Data Center).</summary>
    public StoredRecord[] Generate(int count, long creationDate) =>
        RecordSeeder.Generate(count, Options.Seed, NextGeneratedIndex(count), creationDate, DataCenter);

    /// <summary>Seeded records, start-up settings and an empty log: the state right after start, except that
    /// faults are cleared (even those given on the command line) and their counters zeroed.</summary>
    public void Reset()
    {
        Store.Reset();
        Search.Clear();
        Settings.Reset();
        Log.Clear();
        Faults.Reset();
        OAuth.Reset();
        Interlocked.Exchange(ref _generated, 0);
    }
}
