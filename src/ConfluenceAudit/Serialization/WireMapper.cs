using System;
using System.Collections.Generic;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Serialization;

/// <summary>Turns the API's JSON shapes into the public output types, tolerating any missing or null field.</summary>
internal static class WireMapper
{
    public static ConfluenceAuditRecord ToRecord(WireAuditRecord wire)
    {
        return new ConfluenceAuditRecord(
            creationDate: wire.CreationDate is long ms ? EpochTime.ToDateTimeOffset(ms) : (DateTimeOffset?)null,
            summary: wire.Summary ?? string.Empty,
            description: wire.Description ?? string.Empty,
            category: wire.Category ?? string.Empty,
            remoteAddress: wire.RemoteAddress ?? string.Empty,
            sysAdmin: wire.SysAdmin ?? false,
            superAdmin: wire.SuperAdmin ?? false,
            author: ToAuthor(wire.Author),
            affectedObject: ToObject(wire.AffectedObject),
            changedValues: ToList(wire.ChangedValues, ToChangedValue),
            associatedObjects: ToList(wire.AssociatedObjects, ToObject));
    }

    private static AuditAuthor? ToAuthor(WireAuthor? wire)
    {
        if (wire is null)
        {
            return null;
        }

        return new AuditAuthor(
            displayName: wire.DisplayName ?? wire.PublicName ?? string.Empty,
            accountId: NullIfEmpty(wire.AccountId),
            accountType: NullIfEmpty(wire.AccountType),
            publicName: NullIfEmpty(wire.PublicName),
            userName: NullIfEmpty(wire.UserName),
            userKey: NullIfEmpty(wire.UserKey),
            type: wire.Type ?? "user",
            isGuest: wire.IsGuest ?? false,
            isExternalCollaborator: wire.IsExternalCollaborator ?? wire.ExternalCollaborator ?? false);
    }

    private static AuditObject? ToObject(WireAffectedObject? wire) =>
        wire is null ? null : new AuditObject(wire.Name ?? string.Empty, wire.ObjectType ?? string.Empty);

    private static AuditChangedValue? ToChangedValue(WireChangedValue? wire) =>
        wire is null ? null : new AuditChangedValue(wire.Name ?? string.Empty, wire.OldValue ?? string.Empty, wire.NewValue ?? string.Empty, wire.HiddenOldValue, wire.HiddenNewValue);

    private static AuditList<TOut> ToList<TIn, TOut>(List<TIn?>? items, Func<TIn?, TOut?> map)
        where TIn : class
        where TOut : class
    {
        if (items is null || items.Count == 0)
        {
            return AuditList<TOut>.Empty;
        }

        var result = new List<TOut>(items.Count);
        foreach (var item in items)
        {
            if (map(item) is TOut mapped)
            {
                result.Add(mapped);
            }
        }

        return new AuditList<TOut>(result);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
