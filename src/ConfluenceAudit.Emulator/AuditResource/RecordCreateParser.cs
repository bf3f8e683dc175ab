using System.Text.Json;

namespace ConfluenceAudit.Emulator.AuditResource;

/// <summary>Turns a POST /audit body (AuditRecordCreate) into the AuditRecord Cloud would store, or a
/// message for a 400. Checked by hand rather than by deserializing, so a wrong type or a missing
/// remoteAddress gets a precise message. Unknown properties are ignored, as Confluence does.</summary>
internal static class RecordCreateParser
{
    public static AuditRecord? Parse(ReadOnlyMemory<byte> body, long now, out string? error)
    {
        error = null;
        if (body.IsEmpty)
        {
            error = "A request body with an AuditRecordCreate is required.";
            return null;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            return FromRoot(doc.RootElement, now, ref error);
        }
        catch (JsonException e)
        {
            error = "The request body is not valid JSON: " + e.Message;
            return null;
        }
    }

    private static AuditRecord? FromRoot(JsonElement root, long now, ref string? error)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail("The request body must be a JSON object.", ref error);
        }

        string? remote = null;
        if (!Str(root, "remoteAddress", ref remote, ref error))
        {
            return null;
        }

        if (string.IsNullOrEmpty(remote))
        {
            return Fail("The 'remoteAddress' property is required.", ref error);
        }

        AuditAuthor? author = null;
        if (root.TryGetProperty("author", out JsonElement a) && a.ValueKind != JsonValueKind.Null)
        {
            author = Author(a, ref error);
            if (author is null)
            {
                return null;
            }
        }

        long creationDate = now;
        if (root.TryGetProperty("creationDate", out JsonElement d) && d.ValueKind != JsonValueKind.Null)
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out creationDate))
            {
                return Fail("'creationDate' must be an integer (epoch milliseconds).", ref error);
            }
        }

        string? summary = null, description = null, category = null;
        if (!Str(root, "summary", ref summary, ref error)
            || !Str(root, "description", ref description, ref error)
            || !Str(root, "category", ref category, ref error))
        {
            return null;
        }

        bool sysAdmin = false;
        if (root.TryGetProperty("sysAdmin", out JsonElement s) && s.ValueKind != JsonValueKind.Null)
        {
            if (s.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Fail("'sysAdmin' must be a boolean.", ref error);
            }

            sysAdmin = s.GetBoolean();
        }

        var affected = new AffectedObject();
        if (root.TryGetProperty("affectedObject", out JsonElement o) && o.ValueKind != JsonValueKind.Null)
        {
            AffectedObject? parsed = Object(o, "affectedObject", ref error);
            if (parsed is null)
            {
                return null;
            }

            affected = parsed;
        }

        List<ChangedValue> changed = [];
        List<AffectedObject> associated = [];
        if (!Items<ChangedValue>(root, "changedValues", changed, Changed, ref error)
            || !Items<AffectedObject>(root, "associatedObjects", associated, Associated, ref error))
        {
            return null;
        }

        return new AuditRecord
        {
            Author = author ?? new AuditAuthor { Operations = null },
            RemoteAddress = remote,
            CreationDate = creationDate,
            Summary = summary ?? "",
            Description = description ?? "",
            Category = category ?? "",
            SysAdmin = sysAdmin,
            SuperAdmin = false,
            AffectedObject = affected,
            ChangedValues = changed,
            AssociatedObjects = associated,
        };
    }

    // The created author has type "user" and the given displayName; Cloud cannot take an accountId
    // here, and sets operations to null whatever was sent.
    private static AuditAuthor? Author(JsonElement a, ref string? error)
    {
        if (a.ValueKind != JsonValueKind.Object)
        {
            return FailAs<AuditAuthor>("'author' must be an object.", ref error);
        }

        if (!a.TryGetProperty("type", out JsonElement t) || t.ValueKind != JsonValueKind.String || t.GetString() != "user")
        {
            return FailAs<AuditAuthor>("'author.type' must be \"user\".", ref error);
        }

        string? displayName = null, username = null, userKey = null;
        if (!Str(a, "displayName", ref displayName, ref error, "author.")
            || !Str(a, "username", ref username, ref error, "author.")
            || !Str(a, "userKey", ref userKey, ref error, "author."))
        {
            return null;
        }

        if (a.TryGetProperty("operations", out JsonElement ops) && ops.ValueKind is not (JsonValueKind.Null or JsonValueKind.Array))
        {
            return FailAs<AuditAuthor>("'author.operations' must be an array.", ref error);
        }

        return new AuditAuthor { DisplayName = displayName ?? "", Operations = null };
    }

    private static AffectedObject? Object(JsonElement e, string where, ref string? error)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return FailAs<AffectedObject>($"'{where}' must be an object.", ref error);
        }

        string? name = null, type = null;
        if (!Str(e, "name", ref name, ref error, where + ".") || !Str(e, "objectType", ref type, ref error, where + "."))
        {
            return null;
        }

        return new AffectedObject { Name = name ?? "", ObjectType = type ?? "" };
    }

    private static AffectedObject? Associated(JsonElement e, ref string? error) =>
        Object(e, "associatedObjects[]", ref error);

    private static ChangedValue? Changed(JsonElement e, ref string? error)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return FailAs<ChangedValue>("'changedValues[]' must be an object.", ref error);
        }

        string? name = null, oldValue = null, hiddenOld = null, newValue = null, hiddenNew = null;
        const string Where = "changedValues[].";
        if (!Str(e, "name", ref name, ref error, Where)
            || !Str(e, "oldValue", ref oldValue, ref error, Where)
            || !Str(e, "hiddenOldValue", ref hiddenOld, ref error, Where)
            || !Str(e, "newValue", ref newValue, ref error, Where)
            || !Str(e, "hiddenNewValue", ref hiddenNew, ref error, Where))
        {
            return null;
        }

        return new ChangedValue
        {
            Name = name ?? "",
            OldValue = oldValue ?? "",
            HiddenOldValue = hiddenOld,
            NewValue = newValue ?? "",
            HiddenNewValue = hiddenNew,
        };
    }

    private delegate T? ItemParser<T>(JsonElement element, ref string? error);

    private static bool Items<T>(JsonElement root, string name, List<T> into, ItemParser<T> parse, ref string? error)
        where T : class
    {
        if (!root.TryGetProperty(name, out JsonElement arr) || arr.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (arr.ValueKind != JsonValueKind.Array)
        {
            error = $"'{name}' must be an array.";
            return false;
        }

        foreach (JsonElement item in arr.EnumerateArray())
        {
            T? parsed = parse(item, ref error);
            if (parsed is null)
            {
                return false;
            }

            into.Add(parsed);
        }

        return true;
    }

    /// <summary>An optional string property: absent or null leaves <paramref name="value"/> null;
    /// anything but a string is an error.</summary>
    private static bool Str(JsonElement obj, string name, ref string? value, ref string? error, string where = "")
    {
        if (!obj.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            error = $"'{where}{name}' must be a string.";
            return false;
        }

        value = e.GetString();
        return true;
    }

    private static AuditRecord? Fail(string message, ref string? error)
    {
        error = message;
        return null;
    }

    private static T? FailAs<T>(string message, ref string? error)
        where T : class
    {
        error = message;
        return null;
    }
}
