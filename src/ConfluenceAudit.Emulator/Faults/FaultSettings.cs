namespace ConfluenceAudit.Emulator.Faults;

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

    /// <summary>The body of the 'body' fault, sent as it is (UTF-8).</summary>
    public string Body { get; init; } = "";

    /// <summary>The Content-Type of the 'body' fault.</summary>
    public string BodyContentType { get; init; } = "application/json;charset=UTF-8";

    /// <summary>Null when the values hold together, else what is wrong.</summary>
    public string? Validate()
    {
        if (double.IsNaN(FailureRate) || FailureRate < 0 || FailureRate > MaxRate)
        {
            return "failureRate must be from 0 to 1.";
        }

        if (Kinds.Count == 0)
        {
            return "kinds must name at least one fault kind.";
        }

        foreach (string kind in Kinds.Concat(Queue))
        {
            if (!FaultKinds.IsKnown(kind))
            {
                return $"Unknown fault kind '{kind}': use {string.Join(", ", FaultKinds.All)}.";
            }
        }

        if (RetryAfterSec is < 0 or > 86_400)
        {
            return "retryAfterSec must be from 0 to 86400.";
        }

        if (SlowMs is < 0 or > 600_000)
        {
            return "slowMs must be from 0 to 600000.";
        }

        if (Queue.Count > 100_000)
        {
            return "queue may hold at most 100000 faults.";
        }

        if (InsertPerRequest is < 0 or > 10_000)
        {
            return "insertPerRequest must be from 0 to 10000.";
        }

        if (Body.Length > 16 * 1024 * 1024)
        {
            return "body may hold at most 16 MB.";
        }

        if (Path is not null && !Path.StartsWith('/'))
        {
            return "path must start with '/', such as /wiki/rest/api/audit.";
        }

        return null;
    }

    public bool Matches(string method, string path)
    {
        if (Method is not null && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Path is null)
        {
            return true;
        }

        string p = path.TrimEnd('/');
        return Path.EndsWith('*')
            ? p.StartsWith(Path[..^1].TrimEnd('/'), StringComparison.Ordinal)
            : string.Equals(p, Path.TrimEnd('/'), StringComparison.Ordinal);
    }
}
