namespace ConfluenceAudit.Models;

/// <summary>Who did what an audit record describes. System events have DisplayName "System" and no AccountId.</summary>
public sealed class AuditAuthor
{
    internal AuditAuthor(
        string displayName,
        string? accountId,
        string? accountType,
        string? publicName,
        string? userName,
        string? userKey,
        string type,
        bool isGuest,
        bool isExternalCollaborator)
    {
        DisplayName = displayName ?? string.Empty;
        AccountId = accountId;
        AccountType = accountType;
        PublicName = publicName;
        UserName = userName;
        UserKey = userKey;
        Type = type;
        IsGuest = isGuest;
        IsExternalCollaborator = isExternalCollaborator;
    }

    public string DisplayName { get; }

    public string? AccountId { get; }

    public string? AccountType { get; }

    public string? PublicName { get; }

    /// <summary>Deprecated on Cloud; still filled by older servers.</summary>
    public string? UserName { get; }

    /// <summary>Deprecated on Cloud; still filled by older servers.</summary>
    public string? UserKey { get; }

    public string Type { get; }

    public bool IsGuest { get; }

    public bool IsExternalCollaborator { get; }

    /// <summary>The display name: what a CSV cell or a table column shows, and what -AuthorName binds to.</summary>
    public override string ToString() => DisplayName;
}
