namespace ConfluenceAudit.Emulator.Control;

/// <summary>GET/POST /__emulator/config. The dc* members matter in Data Center mode only.</summary>
internal sealed record ControlConfig(
    int MaxLimit, bool SizeIsTotal, int LatencyMs,
    int DcMaxLimit, int DcCsvCap, bool DcCursorObject, string DcAnonymous, bool DcSearchTimeout, bool DcLegacyPost,
    long ClockOffsetMs);

/// <summary>POST /__emulator/config body: any subset of the settings.</summary>
internal sealed record ControlConfigUpdate(
    int? MaxLimit, bool? SizeIsTotal, int? LatencyMs,
    int? DcMaxLimit, int? DcCsvCap, bool? DcCursorObject, string? DcAnonymous, bool? DcSearchTimeout, bool? DcLegacyPost,
    long? ClockOffsetMs);

internal sealed record InsertResult(int Inserted, int Total);

internal sealed record CountResult(int Total);
