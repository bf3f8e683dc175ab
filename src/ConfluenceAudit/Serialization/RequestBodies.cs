using System;
using System.IO;
using System.Text.Json;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Serialization;

/// <summary>JSON bodies of the requests that change something, written field by field so nothing unasked-for is sent.</summary>
internal static class RequestBodies
{
    public static byte[] NewRecord(NewAuditRecord record)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (record.AuthorName is not null)
            {
                // The API takes only a display name for the author; "user" is the one type it accepts.
                json.WriteStartObject("author");
                json.WriteString("type", "user");
                json.WriteString("displayName", record.AuthorName);
                json.WriteEndObject();
            }

            json.WriteString("remoteAddress", record.RemoteAddress);
            if (record.CreationDate is DateTimeOffset date)
            {
                json.WriteNumber("creationDate", EpochTime.ToEpochMilliseconds(date));
            }

            WriteIfGiven(json, "summary", record.Summary);
            WriteIfGiven(json, "description", record.Description);
            WriteIfGiven(json, "category", record.Category);
            if (record.SysAdmin is bool sysAdmin)
            {
                json.WriteBoolean("sysAdmin", sysAdmin);
            }

            if (record.AffectedObject is not null)
            {
                json.WritePropertyName("affectedObject");
                WriteObject(json, record.AffectedObject);
            }

            if (record.ChangedValues is not null)
            {
                json.WriteStartArray("changedValues");
                foreach (var value in record.ChangedValues)
                {
                    json.WriteStartObject();
                    json.WriteString("name", value.Name);
                    json.WriteString("oldValue", value.OldValue);
                    json.WriteString("newValue", value.NewValue);
                    WriteIfGiven(json, "hiddenOldValue", value.HiddenOldValue);
                    WriteIfGiven(json, "hiddenNewValue", value.HiddenNewValue);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            if (record.AssociatedObjects is not null)
            {
                json.WriteStartArray("associatedObjects");
                foreach (var associated in record.AssociatedObjects)
                {
                    WriteObject(json, associated);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static byte[] Retention(int number, RetentionUnit unit)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("number", number);
            json.WriteString("units", ApiNames.ToApiName(unit));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Data Center's auditing framework: {"period":{"years":Y,"months":M,"days":D}}.</summary>
    public static byte[] RetentionPeriod(RetentionPeriod period)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("period");
            json.WriteNumber("years", period.Years);
            json.WriteNumber("months", period.Months);
            json.WriteNumber("days", period.Days);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteObject(Utf8JsonWriter json, AuditObject value)
    {
        json.WriteStartObject();
        json.WriteString("name", value.Name);
        json.WriteString("objectType", value.ObjectType);
        json.WriteEndObject();
    }

    private static void WriteIfGiven(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
