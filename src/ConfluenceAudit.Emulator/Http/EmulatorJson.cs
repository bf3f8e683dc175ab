using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConfluenceAudit.Emulator.AuditResource;
using ConfluenceAudit.Emulator.Control;
using ConfluenceAudit.Emulator.DataCenter;
using ConfluenceAudit.Emulator.Faults;

namespace ConfluenceAudit.Emulator.Http;

/// <summary>Source-generated serializers: no reflection at run time and fast enough to seed a million
/// records in about a second. The attribute must match <see cref="EmulatorJson.Audit"/>'s options, or
/// System.Text.Json skips the generated fast path.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditRecord))]
[JsonSerializable(typeof(RetentionPeriod))]
[JsonSerializable(typeof(DataCenterEntity))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;

/// <summary>The control endpoints' types: nulls are written (the request log's authScheme and body).</summary>
[JsonSerializable(typeof(List<RequestLogEntry>))]
[JsonSerializable(typeof(ControlConfig))]
[JsonSerializable(typeof(ControlConfigUpdate))]
[JsonSerializable(typeof(InsertResult))]
[JsonSerializable(typeof(CountResult))]
[JsonSerializable(typeof(FaultConfig))]
[JsonSerializable(typeof(FaultConfigUpdate))]
[JsonSerializable(typeof(FaultStats))]
[JsonSerializable(typeof(OAuthState))]
[JsonSerializable(typeof(OAuthUpdate))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;

/// <summary>The two configured contexts.</summary>
internal static class EmulatorJson
{
    // Confluence (Jackson) writes non-ASCII text as raw UTF-8, not as \u escapes; the relaxed encoder
    // comes closest (it still escapes characters outside the BMP, which is equally valid JSON).
    public static readonly AuditJsonContext Audit = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    // Case-insensitive: PowerShell hashtables sent with ConvertTo-Json keep whatever case the script used.
    public static readonly ControlJsonContext Control = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>For hand-written envelopes (pages, errors), escaping like the records.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
