using System.Globalization;
using System.Text.Json;
using ConfluenceAudit.Emulator.AuditResource;
using ConfluenceAudit.Emulator.Hosting;
using ConfluenceAudit.Emulator.Http;
using ConfluenceAudit.Emulator.Seeding;
using ConfluenceAudit.Emulator.Store;

namespace ConfluenceAudit.Emulator.DataCenter;

/// <summary>
/// Turns a generated (Cloud-shaped) audit record into the auditing framework's event, so the legacy resource and
/// the framework show the same log. What Cloud's record lacks (object ids and uris, the author's user key, node,
/// method, extra attributes, i18n keys) is derived from the sample pools or drawn from the record's own random
/// stream: the same seed gives the same events. Some events lack optional members on purpose: system authors have
/// only a name and a type, groups and settings have no id, "from" or "to" of a change is missing when that side was
/// empty, "node" is missing on about a third, "source" is null without a client address.
/// </summary>
internal sealed class DataCenterProfile
{
    private static readonly string[] Nodes = ["node-1", "node-2", "node-3"];

    private static readonly Dictionary<string, SampleUser> UsersByName =
        SampleData.Users.ToDictionary(u => u.DisplayName, StringComparer.Ordinal);

    private static readonly Dictionary<string, string> AppKeys = new(StringComparer.Ordinal)
    {
        ["draw.io Diagrams"] = "com.mxgraph.confluence.plugins.diagramly",
        ["Gliffy Diagrams for Confluence"] = "com.gliffy.integration.confluence",
        ["Scroll PDF Exporter"] = "com.k15t.scroll.scroll-pdf",
        ["Team Calendars"] = "com.atlassian.confluence.extra.team-calendars",
        ["Table Filter, Charts & Spreadsheets"] = "net.stiltsoft.confluence.plugins.tablefilter",
    };

    /// <summary>The space the non-administrator administers (and may read with affectedObject=space,&lt;id&gt;).</summary>
    public const string UserSpaceKey = "DOCS";

    public DataCenterProfile(DataCenterOptions options)
    {
        Options = options;
        Locale = new DataCenterLocale(options.Language);
        Canonical = options.CanonicalBaseUrl.TrimEnd('/');
        Admin = new DataCenterAuthor
        {
            Name = "Ada Admin",
            Id = "8a7f80857a1b2c3d017a1b2c3d4e0001",
            Uri = Canonical + "/admin/users/viewuser.action?username=" + Uri.EscapeDataString(options.AdminUsername),
            AvatarUri = Canonical + "/images/icons/profilepics/default.svg",
        };
        User = new DataCenterAuthor
        {
            Name = "Sam Spaceadmin",
            Id = "8a7f80857a1b2c3d017a1b2c3d4e0002",
            Uri = Canonical + "/admin/users/viewuser.action?username=" + Uri.EscapeDataString(options.UserUsername),
            AvatarUri = "",
        };
    }

    public DataCenterOptions Options { get; }

    public DataCenterLocale Locale { get; }

    /// <summary>The configured base URL, without a trailing '/'.</summary>
    public string Canonical { get; }

    /// <summary>The administrator's account as an event's author.</summary>
    public DataCenterAuthor Admin { get; }

    /// <summary>The non-administrator's account (a space administrator of <see cref="UserSpaceKey"/>).</summary>
    public DataCenterAuthor User { get; }

    /// <summary>The id of a sample space (98306 for ENG, then one up per space).</summary>
    public static string SpaceId(string key)
    {
        int i = Array.FindIndex(SampleData.Spaces, s => s.Key == key);
        return i < 0 ? "" : (98306 + i).ToString(CultureInfo.InvariantCulture);
    }

    public static string UserSpaceId => SpaceId(UserSpaceKey);

    /// <summary>The event view of <paramref name="record"/>, serialized into <paramref name="arena"/> (or its own
    /// array when null).</summary>
    public DataCenterEvent FromRecord(AuditRecord record, ref Rng rng, JsonArena? arena)
    {
        bool system = record.Author.DisplayName == "System" && record.Author.AccountId is null;
        DataCenterAuthor author = system ? new DataCenterAuthor { Name = "System" } : UserAuthor(record.Author.DisplayName, ref rng);

        var objects = new List<DataCenterObject>(1 + record.AssociatedObjects.Count);
        if (record.AffectedObject.Name.Length > 0 || record.AffectedObject.ObjectType.Length > 0)
        {
            objects.Add(Object(record.AffectedObject));
        }

        foreach (AffectedObject o in record.AssociatedObjects)
        {
            objects.Add(Object(o));
        }

        var changes = new List<DataCenterChange>(record.ChangedValues.Count);
        foreach (ChangedValue c in record.ChangedValues)
        {
            changes.Add(new DataCenterChange
            {
                Key = c.Name,
                I18nKey = DataCenterLocale.ChangedValueKey(c.Name),
                From = c.OldValue.Length > 0 ? c.OldValue : null,
                To = c.NewValue.Length > 0 ? c.NewValue : null,
            });
        }

        var extra = new List<DataCenterAttribute>(2);
        if (record.Description.Length > 0)
        {
            extra.Add(new DataCenterAttribute
            {
                Name = "Description",
                NameI18nKey = "audit.logging.extra.attribute.description",
                Value = record.Description,
            });
        }

        if (objects.Count > 0 && rng.Chance(0.2))
        {
            extra.Add(new DataCenterAttribute
            {
                Name = "Object count",
                NameI18nKey = "audit.logging.extra.attribute.object.count",
                Value = objects.Count.ToString(CultureInfo.InvariantCulture),
            });
        }

        string method = system ? "System" : rng.Chance(0.15) ? "REST API" : "Browser";
        string? node = rng.Chance(0.35) ? null : rng.Pick(Nodes);
        return Build(record.CreationDate, author, record.Category, record.Summary, objects, changes,
            record.RemoteAddress.Length > 0 ? record.RemoteAddress : null, node, method, extra, arena);
    }

    /// <summary>The "Audit Log search performed" event a read of the events adds, with its legacy (Cloud-shaped)
    /// view.</summary>
    public StoredRecord SearchPerformed(long now, bool admin, string? source, string query, int results)
    {
        DataCenterAuthor author = admin ? Admin : User;
        var extra = new List<DataCenterAttribute>
        {
            new() { Name = "Query", NameI18nKey = "atlassian.audit.event.attribute.query", Value = query },
            new() { Name = "Results returned", NameI18nKey = "atlassian.audit.event.attribute.results", Value = results.ToString(CultureInfo.InvariantCulture) },
        };
        DataCenterEvent e = Build(now, author, DataCenterLocale.AuditingCategory, DataCenterLocale.SearchPerformed,
            [], [], source, Nodes[0], "Browser", extra, null);
        var record = new AuditRecord
        {
            Author = new AuditAuthor { DisplayName = author.Name, Operations = null },
            RemoteAddress = source ?? "",
            CreationDate = now,
            Summary = DataCenterLocale.SearchPerformed,
            Description = "Query: " + query,
            Category = DataCenterLocale.AuditingCategory,
        };
        return new StoredRecord(now, RecordSeeder.Serialize(record), e);
    }

    /// <summary>ISO 8601 in UTC with Z, like Java's Instant.toString for milliseconds: no fraction when the
    /// millisecond is zero, else exactly three digits.</summary>
    public static string Timestamp(long epochMs)
    {
        DateTime t = DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime;
        return t.ToString(epochMs % 1000 == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    private DataCenterEvent Build(
        long epochMs, DataCenterAuthor author, string category, string action, List<DataCenterObject> objects,
        List<DataCenterChange> changes, string? source, string? node, string method, List<DataCenterAttribute> extra, JsonArena? arena)
    {
        var entity = new DataCenterEntity
        {
            Timestamp = Timestamp(epochMs),
            Author = author,
            Type = new DataCenterEventType
            {
                Category = Locale.Category(category),
                CategoryI18nKey = DataCenterLocale.CategoryKey(category),
                Action = Locale.Action(action),
                ActionI18nKey = DataCenterLocale.ActionKey(action),
            },
            AffectedObjects = objects,
            ChangedValues = changes,
            Source = source,
            SystemUrl = Canonical,
            Node = node,
            Method = method,
            ExtraAttributes = extra,
        };
        ReadOnlyMemory<byte> json = arena is null
            ? JsonSerializer.SerializeToUtf8Bytes(entity, EmulatorJson.Audit.DataCenterEntity)
            : arena.Serialize(entity, EmulatorJson.Audit.DataCenterEntity);
        ObjectRef[] refs = [.. objects.Where(o => o.Id is not null).Select(o => new ObjectRef(o.Type, o.Id!))];
        return new DataCenterEvent(json, author.Id, entity.Type.Category, entity.Type.Action, refs);
    }

    private DataCenterAuthor UserAuthor(string displayName, ref Rng rng)
    {
        if (!UsersByName.TryGetValue(displayName, out SampleUser? user))
        {
            // A record created through the legacy POST names its author only.
            return new DataCenterAuthor { Name = displayName };
        }

        return new DataCenterAuthor
        {
            Name = user.DisplayName,
            Id = UserKey(user),
            Uri = Canonical + "/admin/users/viewuser.action?username=" + Uri.EscapeDataString(user.Handle),
            AvatarUri = rng.Chance(0.3) ? "" : Canonical + "/download/attachments/" + UserKey(user)[^6..] + "/user-avatar",
        };
    }

    /// <summary>A Data Center user key (32 hex digits) derived from the sample user's Cloud account id.</summary>
    public static string UserKey(SampleUser user)
    {
        string hex = new([.. user.AccountId.Where(char.IsAsciiHexDigit)]);
        return ("8a7f8085" + hex.PadRight(24, '0')[..24]).ToLowerInvariant();
    }

    private DataCenterObject Object(AffectedObject o)
    {
        switch (o.ObjectType)
        {
            case "Space":
                string spaceId = SpaceId(o.Name);
                return new DataCenterObject
                {
                    Name = o.Name, Type = o.ObjectType,
                    Id = spaceId.Length > 0 ? spaceId : null,
                    Uri = Canonical + "/display/" + Uri.EscapeDataString(o.Name),
                };
            case "Page" or "Blog post":
                int index = Array.IndexOf(o.ObjectType == "Page" ? SampleData.Pages : SampleData.BlogPosts, o.Name);
                if (index < 0)
                {
                    return new DataCenterObject { Name = o.Name, Type = o.ObjectType };
                }

                string contentId = ((o.ObjectType == "Page" ? 2_359_297 : 3_276_801) + (index * 4099)).ToString(CultureInfo.InvariantCulture);
                return new DataCenterObject
                {
                    Name = o.Name, Type = o.ObjectType, Id = contentId,
                    Uri = Canonical + "/pages/viewpage.action?pageId=" + contentId,
                };
            case "User":
                SampleUser? user = SampleData.Users.FirstOrDefault(u => u.Handle == o.Name);
                if (user is null)
                {
                    return new DataCenterObject { Name = o.Name, Type = o.ObjectType };
                }

                return new DataCenterObject
                {
                    Name = o.Name, Type = o.ObjectType, Id = UserKey(user),
                    Uri = Canonical + "/admin/users/viewuser.action?username=" + Uri.EscapeDataString(user.Handle),
                };
            case "App":
                return new DataCenterObject
                {
                    Name = o.Name, Type = o.ObjectType, Id = AppKeys.GetValueOrDefault(o.Name),
                };
            default:
                // Groups, settings, the site, the audit log: a name and a type only.
                return new DataCenterObject { Name = o.Name, Type = o.ObjectType };
        }
    }
}
