using System.Text.Json.Serialization;

namespace ConfluenceAudit.Serialization;

/// <summary>
/// Source-generated metadata: no reflection at run time, so import stays fast and parsing is allocation-lean.
/// Unknown properties are ignored (the API adds fields), nulls become defaults.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(WireAuditRecordArray))]
[JsonSerializable(typeof(WireAuditRecord))]
[JsonSerializable(typeof(WireRetentionPeriod))]
[JsonSerializable(typeof(WireErrorBody))]
[JsonSerializable(typeof(WireEventPage))]
[JsonSerializable(typeof(WireRetentionConfiguration))]
[JsonSerializable(typeof(WireTokenResponse))]
[JsonSerializable(typeof(WireTenantInfo))]
internal sealed partial class AuditJsonContext : JsonSerializerContext
{
}
