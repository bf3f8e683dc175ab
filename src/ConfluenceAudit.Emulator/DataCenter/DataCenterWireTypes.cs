using System.Text.Json.Serialization;

namespace ConfluenceAudit.Emulator.DataCenter;

// The emulator's own copy of the auditing framework's event shape (GET /rest/auditing/1.0/events), in the order the
// server writes its members. Optional members are nullable and left out when null (EmulatorJson.Audit ignores
// nulls), except "source", which the server writes as null for events without a client address.

/// <summary>One event of Atlassian's cross-product auditing framework as Confluence Data Center serializes it.
/// It carries no id of its own: the id appears only inside the paging cursor.</summary>
internal sealed class DataCenterEntity
{
    /// <summary>ISO 8601 instant in UTC with Z, a fraction only when the millisecond is not zero (Java's
    /// Instant.toString).</summary>
    public string Timestamp { get; init; } = "";

    public DataCenterAuthor Author { get; init; } = new();

    public DataCenterEventType Type { get; init; } = new();

    public IReadOnlyList<DataCenterObject> AffectedObjects { get; init; } = [];

    public IReadOnlyList<DataCenterChange> ChangedValues { get; init; } = [];

    /// <summary>The client's address; null for events without one (system events).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Source { get; init; }

    /// <summary>The server's configured base URL.</summary>
    [JsonPropertyName("system")]
    public string SystemUrl { get; init; } = "";

    /// <summary>The cluster node; missing on some events.</summary>
    public string? Node { get; init; }

    public string Method { get; init; } = "";

    public IReadOnlyList<DataCenterAttribute> ExtraAttributes { get; init; } = [];
}

/// <summary>The event's author. System events have only a name and a type.</summary>
internal sealed class DataCenterAuthor
{
    public string Name { get; init; } = "";
    public string Type { get; init; } = "user";
    public string? Id { get; init; }
    public string? Uri { get; init; }
    public string? AvatarUri { get; init; }
}

/// <summary>Category and action in the server's language, with their i18n keys (which never change).</summary>
internal sealed class DataCenterEventType
{
    public string Category { get; init; } = "";
    public string CategoryI18nKey { get; init; } = "";
    public string Action { get; init; } = "";
    public string ActionI18nKey { get; init; } = "";
}

/// <summary>An affected object; groups, settings and the like have neither id nor uri.</summary>
internal sealed class DataCenterObject
{
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    public string? Id { get; init; }
    public string? Uri { get; init; }
}

/// <summary>A changed value: "from" or "to" is missing when that side was empty.</summary>
internal sealed class DataCenterChange
{
    public string Key { get; init; } = "";
    public string I18nKey { get; init; } = "";
    public string? From { get; init; }
    public string? To { get; init; }
}

internal sealed class DataCenterAttribute
{
    public string Name { get; init; } = "";
    public string NameI18nKey { get; init; } = "";
    public string Value { get; init; } = "";
}

/// <summary>The framework's retention: {"period":{"years":Y,"months":M,"days":D}}.</summary>
internal readonly record struct DataCenterPeriod(int Years, int Months, int Days)
{
    public bool IsZero => Years == 0 && Months == 0 && Days == 0;

    /// <summary>Reads "P1Y6M", "P3M", "P10D" (ISO 8601 period of years, months and days); null when it is not one.</summary>
    public static DataCenterPeriod? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        System.Text.RegularExpressions.Match m = System.Text.RegularExpressions.Regex.Match(
            text, @"^P(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})D)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        if (!m.Success || text == "P")
        {
            return null;
        }

        static int Part(System.Text.RegularExpressions.Group g) =>
            g.Success ? int.Parse(g.Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return new DataCenterPeriod(Part(m.Groups[1]), Part(m.Groups[2]), Part(m.Groups[3]));
    }
}

/// <summary>An affected object as the 'affectedObject' filter sees it: its type (case-insensitive) and id.</summary>
internal readonly record struct ObjectRef(string Type, string Id);

/// <summary>A stored record's Data Center view: the entity's JSON, serialized once, and what the filters compare,
/// so a filtered page scans memory rather than parsing JSON.</summary>
internal sealed class DataCenterEvent(
    ReadOnlyMemory<byte> json, string? authorId, string category, string action, ObjectRef[] objects)
{
    public ReadOnlyMemory<byte> Json { get; } = json;

    public string? AuthorId { get; } = authorId;

    /// <summary>The localised category, as the server shows it (and as 'categories' matches it).</summary>
    public string Category { get; } = category;

    /// <summary>The localised action, as the server shows it (and as 'actions' matches it).</summary>
    public string Action { get; } = action;

    public ObjectRef[] Objects { get; } = objects;
}
