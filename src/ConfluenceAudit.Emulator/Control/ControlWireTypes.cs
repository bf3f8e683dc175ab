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

/// <summary>GET/POST /__emulator/oauth: the service account's token settings and what was issued, refused and rejected.</summary>
internal sealed record OAuthState(string ClientId, string CloudId, int TokenLifetimeSec, bool Revoked, long Issued, long Refused, long Rejected);

/// <summary>POST /__emulator/oauth body: a new token lifetime, the secret revoked (true) or valid again (false), and
/// expireTokens true to make every token issued so far lapse now (the next request with one gets 401).</summary>
internal sealed record OAuthUpdate(int? TokenLifetimeSec, bool? Revoked, bool? ExpireTokens);
