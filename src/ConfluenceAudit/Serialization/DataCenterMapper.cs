using System;
using System.Collections.Generic;
using System.Text.Json;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Serialization;

/// <summary>
/// Turns a Data Center audit event into the same record type Cloud gives, so one script serves both:
/// CreationDate is the timestamp, Summary the action, Category the category, RemoteAddress the source,
/// Author the author (name and id), AffectedObject the first affected object and AssociatedObjects the others,
/// ChangedValues key/from/to. What only Data Center has (i18n keys, method, node, extra attributes) goes into
/// the properties that are empty on Cloud.
/// </summary>
internal static class DataCenterMapper
{
    public static ConfluenceAuditRecord ToRecord(WireEvent wire)
    {
        AuditObject? first = null;
        var others = new List<AuditObject>();
        foreach (var item in wire.AffectedObjects ?? new List<WireEventObject?>())
        {
            if (item is null)
            {
                continue;
            }

            var mapped = new AuditObject(item.Name ?? string.Empty, item.Type ?? string.Empty, item.Id, item.Uri);
            if (first is null)
            {
                first = mapped;
            }
            else
            {
                others.Add(mapped);
            }
        }

        var changes = new List<AuditChangedValue>();
        foreach (var change in wire.ChangedValues ?? new List<WireEventChange?>())
        {
            if (change is not null)
            {
                changes.Add(new AuditChangedValue(change.Key ?? change.I18nKey ?? string.Empty, change.From ?? string.Empty, change.To ?? string.Empty));
            }
        }

        var extras = new List<AuditExtra>();
        foreach (var attribute in wire.ExtraAttributes ?? new List<WireEventAttribute?>())
        {
            if (attribute is not null)
            {
                extras.Add(new AuditExtra(attribute.Name ?? attribute.NameI18nKey ?? string.Empty, attribute.NameI18nKey, attribute.Value ?? string.Empty));
            }
        }

        var author = wire.Author is null
            ? null
            : new AuditAuthor(wire.Author.Name ?? string.Empty, wire.Author.Id, null, null, null, null, wire.Author.Type ?? "user", false, false);

        return new ConfluenceAuditRecord(
            creationDate: ParseTimestamp(wire.Timestamp),
            summary: wire.Type?.Action ?? string.Empty,
            description: string.Empty,
            category: wire.Type?.Category ?? string.Empty,
            remoteAddress: wire.Source ?? string.Empty,
            sysAdmin: false,
            superAdmin: false,
            author: author,
            affectedObject: first,
            changedValues: changes.Count == 0 ? AuditList<AuditChangedValue>.Empty : new AuditList<AuditChangedValue>(changes),
            associatedObjects: others.Count == 0 ? AuditList<AuditObject>.Empty : new AuditList<AuditObject>(others),
            dataCenter: new ConfluenceAuditRecord.DataCenterDetails
            {
                CategoryKey = wire.Type?.CategoryI18nKey,
                ActionKey = wire.Type?.ActionI18nKey,
                Method = wire.Method,
                Node = wire.Node,
                ExtraAttributes = extras.Count == 0 ? null : new AuditList<AuditExtra>(extras),
            });
    }

    /// <summary>The cursor of the next page, given either as a string or as an object holding "cursor".</summary>
    public static string? Cursor(JsonElement? element)
    {
        if (element is not JsonElement value)
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Object when value.TryGetProperty("cursor", out var inner) && inner.ValueKind == JsonValueKind.String:
                return inner.GetString();
            default:
                return null;
        }
    }

    private static DateTimeOffset? ParseTimestamp(string? text) =>
        text is not null && WireValidation.TryParseInstant(text, out var instant) ? instant.ToLocalTime() : (DateTimeOffset?)null;
}
