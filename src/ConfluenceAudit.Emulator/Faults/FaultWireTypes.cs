using System.Text.Json.Serialization;

namespace ConfluenceAudit.Emulator.Faults;

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
    bool IgnoreStart,
    string Body,
    string BodyContentType);

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
    bool? IgnoreStart,
    string? Body = null,
    string? BodyContentType = null)
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
            Body = Body ?? d.Body,
            BodyContentType = string.IsNullOrEmpty(BodyContentType) ? d.BodyContentType : BodyContentType,
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
