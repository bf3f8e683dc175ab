using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

// Data Center's auditing framework (GET {base}/rest/auditing/1.0/events and its retention configuration), as the
// server sends it. Like the Cloud wire types, these never leave the module: DataCenterMapper turns them into Models.
namespace ConfluenceAudit.Serialization;

internal sealed class WireEventPage
{
    [JsonPropertyName("entities")]
    public List<WireEvent?>? Entities { get; set; }

    [JsonPropertyName("pagingInfo")]
    public WirePagingInfo? PagingInfo { get; set; }
}

internal sealed class WirePagingInfo
{
    [JsonPropertyName("lastPage")]
    public bool? LastPage { get; set; }

    [JsonPropertyName("size")]
    public int? Size { get; set; }

    [JsonPropertyName("nextPageOffset")]
    public int? NextPageOffset { get; set; }

    /// <summary>A plain string in captured responses, an object {"cursor": "..."} in Atlassian's example: both are read.</summary>
    [JsonPropertyName("nextPageCursor")]
    public JsonElement? NextPageCursor { get; set; }

    [JsonPropertyName("nextPageLink")]
    public string? NextPageLink { get; set; }
}

internal sealed class WireEvent
{
    [JsonPropertyName("timestamp")]
    public string? Timestamp { get; set; }

    [JsonPropertyName("author")]
    public WireEventAuthor? Author { get; set; }

    [JsonPropertyName("type")]
    public WireEventType? Type { get; set; }

    [JsonPropertyName("affectedObjects")]
    public List<WireEventObject?>? AffectedObjects { get; set; }

    [JsonPropertyName("changedValues")]
    public List<WireEventChange?>? ChangedValues { get; set; }

    [JsonPropertyName("source")]
    public string? Source { get; set; }

    [JsonPropertyName("system")]
    public string? System { get; set; }

    [JsonPropertyName("node")]
    public string? Node { get; set; }

    [JsonPropertyName("method")]
    public string? Method { get; set; }

    [JsonPropertyName("extraAttributes")]
    public List<WireEventAttribute?>? ExtraAttributes { get; set; }
}

internal sealed class WireEventAuthor
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("uri")]
    public string? Uri { get; set; }
}

internal sealed class WireEventType
{
    [JsonPropertyName("category")]
    public string? Category { get; set; }

    [JsonPropertyName("categoryI18nKey")]
    public string? CategoryI18nKey { get; set; }

    [JsonPropertyName("action")]
    public string? Action { get; set; }

    [JsonPropertyName("actionI18nKey")]
    public string? ActionI18nKey { get; set; }
}

internal sealed class WireEventObject
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("uri")]
    public string? Uri { get; set; }
}

internal sealed class WireEventChange
{
    [JsonPropertyName("key")]
    public string? Key { get; set; }

    [JsonPropertyName("i18nKey")]
    public string? I18nKey { get; set; }

    [JsonPropertyName("from")]
    public string? From { get; set; }

    [JsonPropertyName("to")]
    public string? To { get; set; }
}

internal sealed class WireEventAttribute
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("nameI18nKey")]
    public string? NameI18nKey { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }
}

internal sealed class WireRetentionConfiguration
{
    [JsonPropertyName("period")]
    public WireRetentionParts? Period { get; set; }
}

internal sealed class WireRetentionParts
{
    [JsonPropertyName("years")]
    public int? Years { get; set; }

    [JsonPropertyName("months")]
    public int? Months { get; set; }

    [JsonPropertyName("days")]
    public int? Days { get; set; }
}
