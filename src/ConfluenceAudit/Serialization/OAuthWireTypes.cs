using System.Text.Json.Serialization;

// The OAuth 2.0 token endpoint's answers (RFC 6749 §5.1 and §5.2) and Atlassian's /_edge/tenant_info, as sent.
namespace ConfluenceAudit.Serialization;

internal sealed class WireTokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("token_type")]
    public string? TokenType { get; set; }

    /// <summary>Seconds the token is valid from when it was issued.</summary>
    [JsonPropertyName("expires_in")]
    public long? ExpiresIn { get; set; }

    [JsonPropertyName("scope")]
    public string? Scope { get; set; }

    [JsonPropertyName("error")]
    public string? Error { get; set; }

    [JsonPropertyName("error_description")]
    public string? ErrorDescription { get; set; }
}

internal sealed class WireTenantInfo
{
    [JsonPropertyName("cloudId")]
    public string? CloudId { get; set; }
}
