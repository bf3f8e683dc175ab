using System.Globalization;
using System.Text.Json.Serialization;

namespace ConfluenceAudit.Emulator;

/// <summary>The faults the emulator can inject into an API request (never into a control request).</summary>
internal static class FaultKinds
{
    /// <summary>429 with Retry-After in seconds, X-RateLimit-Limit/-Remaining/-Reset and RateLimit-Reason.</summary>
    public const string RateLimited = "429";

    /// <summary>429 with Retry-After as an HTTP-date (now + retryAfterSec, rounded up to the second).</summary>
    public const string RateLimitedDate = "429-date";

    /// <summary>429 with Retry-After: 9223372036854775807, as Confluence Cloud has been seen to send.</summary>
    public const string RateLimitedHuge = "429-huge";

    /// <summary>503 with Retry-After in seconds.</summary>
    public const string Unavailable = "503";

    /// <summary>503 without Retry-After.</summary>
    public const string UnavailablePlain = "503-plain";

    /// <summary>The request is handled (a POST creates its record), the 200 status and about half of the body go out,
    /// then the connection is aborted: a body cut off mid-page.</summary>
    public const string Drop = "drop";

    /// <summary>The connection is aborted before any response (the request is not handled).</summary>
    public const string Reset = "reset";

    /// <summary>The answer comes after slowMs milliseconds (the wait ends when the client goes away).</summary>
    public const string Slow = "slow";

    /// <summary>A page GET answers with about half the records it should, echoing the full limit: a short page in the
    /// middle of a listing. No effect on other requests.</summary>
    public const string Short = "short";

    /// <summary>No fault: a placeholder in a queue, to place a fault on a later request.</summary>
    public const string None = "none";

    public static readonly string[] All =
        [RateLimited, RateLimitedDate, RateLimitedHuge, Unavailable, UnavailablePlain, Drop, Reset, Slow, Short, None];

    public static bool IsKnown(string kind) => Array.IndexOf(All, kind) >= 0;

    /// <summary>Faults that end the request without a complete answer (logged with status 0).</summary>
    public static bool Aborts(string kind) => kind is Drop or Reset;
}

/// <summary>What to inject, as one immutable value: replaced whole by POST /__emulator/faults.</summary>
internal sealed record FaultSettings
{
    public const double MaxRate = 1.0;

    public static readonly FaultSettings None = new();

    /// <summary>Probability that an API request (matching <see cref="Path"/> / <see cref="Method"/>) fails.</summary>
    public double FailureRate { get; init; }

    /// <summary>The mix failures are drawn from, uniformly (repeat a kind to weight it).</summary>
    public IReadOnlyList<string> Kinds { get; init; } = [FaultKinds.RateLimited, FaultKinds.Unavailable];

    /// <summary>Retry-After of 429, 429-date and 503, in seconds.</summary>
    public int RetryAfterSec { get; init; } = 1;

    public int SlowMs { get; init; } = 1000;

    /// <summary>Seed of the random draws: the same seed and the same sequence of requests give the same faults.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Faults for the next matching requests, exactly these and in this order; the rate applies after them.</summary>
    public IReadOnlyList<string> Queue { get; init; } = [];

    /// <summary>Only requests to this path (exact, trailing '/' ignored; a trailing '*' makes it a prefix); null for all.</summary>
    public string? Path { get; init; }

    /// <summary>Only requests with this method (GET, POST, ...); null for all.</summary>
    public string? Method { get; init; }

    /// <summary>New records (dated now) inserted right before answering each GET /audit or /audit/since.</summary>
    public int InsertPerRequest { get; init; }

    /// <summary>Pages are served as if start were 0: a broken server, for stall detection.</summary>
    public bool IgnoreStart { get; init; }

    /// <summary>Null when the values hold together, else what is wrong.</summary>
    public string? Validate()
    {
        if (double.IsNaN(FailureRate) || FailureRate < 0 || FailureRate > MaxRate) return "failureRate must be from 0 to 1.";
        if (Kinds.Count == 0) return "kinds must name at least one fault kind.";
        foreach (string kind in Kinds.Concat(Queue))
        {
            if (!FaultKinds.IsKnown(kind))
            {
                return $"Unknown fault kind '{kind}': use {string.Join(", ", FaultKinds.All)}.";
            }
        }

        if (RetryAfterSec is < 0 or > 86_400) return "retryAfterSec must be from 0 to 86400.";
        if (SlowMs is < 0 or > 600_000) return "slowMs must be from 0 to 600000.";
        if (Queue.Count > 100_000) return "queue may hold at most 100000 faults.";
        if (InsertPerRequest is < 0 or > 10_000) return "insertPerRequest must be from 0 to 10000.";
        if (Path is not null && !Path.StartsWith('/')) return "path must start with '/', such as /wiki/rest/api/audit.";
        return null;
    }

    public bool Matches(string method, string path)
    {
        if (Method is not null && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase)) return false;
        if (Path is null) return true;
        string p = path.TrimEnd('/');
        return Path.EndsWith('*')
            ? p.StartsWith(Path[..^1].TrimEnd('/'), StringComparison.Ordinal)
            : string.Equals(p, Path.TrimEnd('/'), StringComparison.Ordinal);
    }
}

/// <summary>GET/POST /__emulator/faults: the settings, and what is left of the queue.</summary>
internal sealed record FaultConfig(
    double FailureRate,
    IReadOnlyList<string> Kinds,
    int RetryAfterSec,
    int SlowMs,
    long Seed,
    IReadOnlyList<string> Queue,
    string? Path,
    string? Method,
    int InsertPerRequest,
    bool IgnoreStart);

/// <summary>POST /__emulator/faults body: the whole fault configuration; members left out take their defaults.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record FaultConfigUpdate(
    double? FailureRate,
    List<string>? Kinds,
    int? RetryAfterSec,
    int? SlowMs,
    long? Seed,
    List<string>? Queue,
    string? Path,
    string? Method,
    int? InsertPerRequest,
    bool? IgnoreStart)
{
    public FaultSettings ToSettings()
    {
        var d = FaultSettings.None;
        return new FaultSettings
        {
            FailureRate = FailureRate ?? d.FailureRate,
            Kinds = Kinds is { Count: > 0 } ? [.. Kinds.Select(Normalize)] : d.Kinds,
            RetryAfterSec = RetryAfterSec ?? d.RetryAfterSec,
            SlowMs = SlowMs ?? d.SlowMs,
            Seed = Seed ?? d.Seed,
            Queue = Queue is null ? d.Queue : [.. Queue.Select(Normalize)],
            Path = string.IsNullOrEmpty(Path) ? null : Path,
            Method = string.IsNullOrEmpty(Method) ? null : Method.ToUpperInvariant(),
            InsertPerRequest = InsertPerRequest ?? d.InsertPerRequest,
            IgnoreStart = IgnoreStart ?? d.IgnoreStart,
        };
    }

    public static string Normalize(string? kind) => (kind ?? "").Trim().ToLowerInvariant();
}

/// <summary>GET /__emulator/stats.</summary>
internal sealed record FaultStats(
    long ApiRequests,
    long FaultsInjected,
    Dictionary<string, long> FaultsByKind,
    long RecordsInserted,
    int QueueRemaining);

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
            lock (_lock) return _settings;
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
            return new FaultConfig(s.FailureRate, s.Kinds, s.RetryAfterSec, s.SlowMs, s.Seed, [.. _queue], s.Path, s.Method, s.InsertPerRequest, s.IgnoreStart);
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
            if (!s.Matches(method, path)) return (null, s);
            string? kind = null;
            if (_queue.Count > 0)
            {
                kind = _queue.Dequeue();
            }
            else if (s.FailureRate > 0 && _rng.Chance(s.FailureRate))
            {
                kind = s.Kinds[_rng.Below(s.Kinds.Count)];
            }

            if (kind is null or FaultKinds.None || (kind == FaultKinds.Short && !isPage)) return (null, s);
            _faults++;
            _byKind[kind] = _byKind.GetValueOrDefault(kind) + 1;
            return (kind, s);
        }
    }

    public void CountInserted(int count)
    {
        lock (_lock) _inserted += count;
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

/// <summary>The responses of the status-code faults.</summary>
internal static class FaultResponses
{
    /// <summary>The value Confluence Cloud has been seen to send (long.MaxValue seconds).</summary>
    public const string HugeRetryAfter = "9223372036854775807";

    public const int RateLimit = 100;

    public static Task WriteRateLimitedAsync(HttpContext context, string kind, int retryAfterSec)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        IHeaderDictionary h = context.Response.Headers;
        h["Retry-After"] = kind switch
        {
            FaultKinds.RateLimitedHuge => HugeRetryAfter,

            // An HTTP-date has whole seconds: round up, so the client never comes back before the delay.
            FaultKinds.RateLimitedDate => CeilingToSecond(now.AddSeconds(retryAfterSec)).ToString("r", CultureInfo.InvariantCulture),
            _ => retryAfterSec.ToString(CultureInfo.InvariantCulture),
        };
        h["X-RateLimit-Limit"] = RateLimit.ToString(CultureInfo.InvariantCulture);
        h["X-RateLimit-Remaining"] = "0";
        h["X-RateLimit-Reset"] = CeilingToSecond(now.AddSeconds(retryAfterSec)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        h["RateLimit-Reason"] = "confluence-burst-based";
        return ErrorResponses.WriteAsync(context, 429, "Rate limit exceeded. Retry after the time given in the Retry-After header.");
    }

    public static Task WriteUnavailableAsync(HttpContext context, int? retryAfterSec)
    {
        if (retryAfterSec is int seconds)
        {
            context.Response.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return ErrorResponses.WriteAsync(context, 503, "Service Unavailable: the site is temporarily overloaded. Try again later.");
    }

    private static DateTimeOffset CeilingToSecond(DateTimeOffset t)
    {
        long ticks = t.UtcTicks;
        long rest = ticks % TimeSpan.TicksPerSecond;
        return new DateTimeOffset(rest == 0 ? ticks : ticks - rest + TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }
}

/// <summary>
/// The response body stream of a 'drop' fault: passes on about the first half of the body (by Content-Length,
/// else 256 bytes) and swallows the rest, so the middleware can flush what went out and abort the connection.
/// </summary>
internal sealed class CutOffStream(Stream inner, HttpResponse response) : Stream
{
    private const int WithoutLength = 256;
    private long _allowed = -1;
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
        // Nothing is flushed on the handler's behalf: the middleware flushes once, right before the abort.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_allowed < 0)
        {
            _allowed = response.ContentLength is long length and > 1 ? length / 2 : WithoutLength;
        }

        long room = _allowed - _written;
        if (room <= 0) return;
        ReadOnlyMemory<byte> part = buffer.Length <= room ? buffer : buffer[..(int)room];
        await inner.WriteAsync(part, cancellationToken).ConfigureAwait(false);
        _written += part.Length;
    }
}
