using System.Text.Json.Serialization;

namespace ConfluenceAudit.Emulator.AuditResource;

// The emulator's own copy of Confluence's AuditRecord wire shape (OpenAPI components/schemas/AuditRecord).
// Property order is the order Confluence writes them. Optional members are nullable and left out of the
// JSON when null (EmulatorJson.Audit ignores nulls), except Operations, which Cloud sends as null.

/// <summary>One audit record as Confluence Cloud serializes it.</summary>
internal sealed class AuditRecord
{
    public AuditAuthor Author { get; init; } = new();
    public string RemoteAddress { get; init; } = "";
    public long CreationDate { get; init; }
    public string Summary { get; init; } = "";
    public string Description { get; init; } = "";
    public string Category { get; init; } = "";
    public bool SysAdmin { get; init; }
    public bool SuperAdmin { get; init; }
    public AffectedObject AffectedObject { get; init; } = new();
    public IReadOnlyList<ChangedValue> ChangedValues { get; init; } = [];
    public IReadOnlyList<AffectedObject> AssociatedObjects { get; init; } = [];
}

/// <summary>The record's author. System events carry only type, displayName "System" and operations.</summary>
internal sealed class AuditAuthor
{
    public string Type { get; init; } = "user";
    public string DisplayName { get; init; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<OperationCheck>? Operations { get; init; }

    public string? AccountId { get; init; }
    public string? AccountType { get; init; }
    public bool? ExternalCollaborator { get; init; }
    public bool? IsExternalCollaborator { get; init; }
    public bool? IsGuest { get; init; }
    public string? PublicName { get; init; }
}

/// <summary>OperationCheckResult. Never filled in by Cloud's audit API; typed so the schema holds.</summary>
internal sealed class OperationCheck
{
    public string Operation { get; init; } = "";
    public string TargetType { get; init; } = "";
}

/// <summary>AffectedObject, also the item type of associatedObjects.</summary>
internal sealed class AffectedObject
{
    public string Name { get; init; } = "";
    public string ObjectType { get; init; } = "";
}

/// <summary>ChangedValue: name, oldValue and newValue are required (empty when absent); the hidden
/// values appear only on some records.</summary>
internal sealed class ChangedValue
{
    public string Name { get; init; } = "";
    public string OldValue { get; init; } = "";
    public string? HiddenOldValue { get; init; }
    public string NewValue { get; init; } = "";
    public string? HiddenNewValue { get; init; }
}

/// <summary>RetentionPeriod: GET and PUT /audit/retention.</summary>
internal sealed record RetentionPeriod(int Number, string Units);
