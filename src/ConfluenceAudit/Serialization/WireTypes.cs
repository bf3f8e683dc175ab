using System.Collections.Generic;
using System.Text.Json.Serialization;

// The API's JSON exactly as Confluence sends it. These types never leave the module: WireMapper turns
// them into the public Models, so the API's quirks (nulls, epoch numbers, deprecated fields) stay here.
// Every member is nullable because real records omit or null any field.
namespace ConfluenceAudit.Serialization;

internal sealed class WireAuditRecordArray
{
    [JsonPropertyName("results")]
    public List<WireAuditRecord?>? Results { get; set; }

    [JsonPropertyName("start")]
    public int? Start { get; set; }

    [JsonPropertyName("limit")]
    public int? Limit { get; set; }

    [JsonPropertyName("size")]
    public int? Size { get; set; }
}

internal sealed class WireAuditRecord
{
    [JsonPropertyName("author")]
    public WireAuthor? Author { get; set; }

    [JsonPropertyName("remoteAddress")]
    public string? RemoteAddress { get; set; }

    [JsonPropertyName("creationDate")]
    public long? CreationDate { get; set; }

    [JsonPropertyName("summary")]
    public string? Summary { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("category")]
    public string? Category { get; set; }

    [JsonPropertyName("sysAdmin")]
    public bool? SysAdmin { get; set; }

    [JsonPropertyName("superAdmin")]
    public bool? SuperAdmin { get; set; }

    [JsonPropertyName("affectedObject")]
    public WireAffectedObject? AffectedObject { get; set; }

    [JsonPropertyName("changedValues")]
    public List<WireChangedValue?>? ChangedValues { get; set; }

    [JsonPropertyName("associatedObjects")]
    public List<WireAffectedObject?>? AssociatedObjects { get; set; }
}

internal sealed class WireAuthor
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("displayName")]
    public string? DisplayName { get; set; }

    [JsonPropertyName("username")]
    public string? UserName { get; set; }

    [JsonPropertyName("userKey")]
    public string? UserKey { get; set; }

    [JsonPropertyName("accountId")]
    public string? AccountId { get; set; }

    [JsonPropertyName("accountType")]
    public string? AccountType { get; set; }

    [JsonPropertyName("publicName")]
    public string? PublicName { get; set; }

    [JsonPropertyName("isGuest")]
    public bool? IsGuest { get; set; }

    [JsonPropertyName("isExternalCollaborator")]
    public bool? IsExternalCollaborator { get; set; }

    [JsonPropertyName("externalCollaborator")]
    public bool? ExternalCollaborator { get; set; }
}

internal sealed class WireAffectedObject
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("objectType")]
    public string? ObjectType { get; set; }
}

internal sealed class WireChangedValue
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("oldValue")]
    public string? OldValue { get; set; }

    [JsonPropertyName("hiddenOldValue")]
    public string? HiddenOldValue { get; set; }

    [JsonPropertyName("newValue")]
    public string? NewValue { get; set; }

    [JsonPropertyName("hiddenNewValue")]
    public string? HiddenNewValue { get; set; }
}

internal sealed class WireRetentionPeriod
{
    [JsonPropertyName("number")]
    public long? Number { get; set; }

    [JsonPropertyName("units")]
    public string? Units { get; set; }
}

/// <summary>Error bodies: Confluence uses "message"; some gateways send "errorMessages" or "errors".</summary>
internal sealed class WireErrorBody
{
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("errorMessages")]
    public List<string>? ErrorMessages { get; set; }
}
