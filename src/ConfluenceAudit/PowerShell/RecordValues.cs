using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.PowerShell;

/// <summary>
/// Conversions behind the argument transformations that let New-ConfluenceAuditRecord take its values in every form a
/// user has them: typed objects from Get-ConfluenceAuditRecord, hashtables typed at the prompt, and the strings
/// Import-Csv reads back from a file Export-Csv wrote. Anything malformed is refused at binding, before any request.
/// </summary>
internal static class RecordValues
{
    private static readonly string[] ObjectKeys = { "Name", "ObjectType" };
    private static readonly string[] ChangedValueKeys = { "Name", "OldValue", "NewValue", "HiddenOldValue", "HiddenNewValue" };

    public static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    public static AuditObject? ToAuditObject(object? input, string parameter)
    {
        var value = Unwrap(input);
        switch (value)
        {
            case null:
                return null;
            case AuditObject typed:
                return typed.IsEmpty ? null : typed;
            case string text:
                return text.Trim().Length == 0 ? null : AuditObject.Parse(text);
            default:
                var fields = ReadFields(input!, ObjectKeys, parameter, "@{ Name = 'ENG'; ObjectType = 'Space' }");
                if (string.IsNullOrEmpty(fields["Name"]))
                {
                    throw new ArgumentTransformationMetadataException($"-{parameter} needs a Name, such as @{{ Name = 'ENG'; ObjectType = 'Space' }}.");
                }

                return new AuditObject(fields["Name"]!, fields["ObjectType"] ?? string.Empty);
        }
    }

    public static AuditChangedValue? ToChangedValue(object? input)
    {
        var value = Unwrap(input);
        switch (value)
        {
            case null:
                return null;
            case AuditChangedValue typed:
                return typed;
            case string text:
                return text.Trim().Length == 0 ? null : ParseChangedValue(text);
            default:
                var fields = ReadFields(input!, ChangedValueKeys, "ChangedValue", "@{ Name = 'Permission'; OldValue = 'view'; NewValue = 'edit' }");
                if (string.IsNullOrEmpty(fields["Name"]))
                {
                    throw new ArgumentTransformationMetadataException("-ChangedValue needs a Name, such as @{ Name = 'Permission'; OldValue = 'view'; NewValue = 'edit' }.");
                }

                return new AuditChangedValue(fields["Name"]!, fields["OldValue"] ?? string.Empty, fields["NewValue"] ?? string.Empty, fields["HiddenOldValue"], fields["HiddenNewValue"]);
        }
    }

    public static AuditChangedValue ParseChangedValue(string text) =>
        AuditChangedValue.Parse(text) ?? throw new ArgumentTransformationMetadataException(
            $"'{text}' is not a changed value. Write it as 'Name: old -> new', or pass @{{ Name = 'x'; OldValue = 'a'; NewValue = 'b' }}.");

    /// <summary>An array from one item, many items, or a string holding a list.</summary>
    public static T[]? ToArray<T>(object? input, Func<string, IEnumerable<T>> parseList, Func<object?, T?> convert)
        where T : class
    {
        var value = Unwrap(input);
        if (value is null)
        {
            return null;
        }

        if (value is string text)
        {
            return parseList(text).ToArray();
        }

        IEnumerable items = value is IEnumerable enumerable && value is not IDictionary ? enumerable : new[] { value };
        var result = new List<T>();
        foreach (var item in items)
        {
            if (Unwrap(item) is string itemText)
            {
                result.AddRange(parseList(itemText));
            }
            else if (convert(item) is T converted)
            {
                result.Add(converted);
            }
        }

        return result.ToArray();
    }

    /// <summary>Reads the allowed keys of a hashtable or the properties of an object; an unknown key is refused as a typo.</summary>
    private static Dictionary<string, string?> ReadFields(object input, string[] allowed, string parameter, string example)
    {
        var fields = allowed.ToDictionary(key => key, _ => (string?)null, StringComparer.OrdinalIgnoreCase);
        var value = Unwrap(input);
        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                if (!fields.ContainsKey(key))
                {
                    throw new ArgumentTransformationMetadataException(
                        $"-{parameter} does not take the key '{key}'. It takes {string.Join(", ", allowed)}, such as {example}.");
                }

                fields[key] = Convert.ToString(Unwrap(entry.Value), CultureInfo.InvariantCulture);
            }

            return fields;
        }

        var wrapped = PSObject.AsPSObject(input);
        var found = false;
        foreach (var key in allowed)
        {
            if (wrapped.Properties[key] is PSPropertyInfo property)
            {
                found = true;
                fields[key] = Convert.ToString(Unwrap(property.Value), CultureInfo.InvariantCulture);
            }
        }

        if (!found)
        {
            throw new ArgumentTransformationMetadataException(
                $"-{parameter} cannot use a {value?.GetType().Name ?? "null"}. Pass {example}.");
        }

        return fields;
    }
}
