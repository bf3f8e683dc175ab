using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using ConfluenceAudit.Models;

// Argument transformations that let New-ConfluenceAuditRecord take its values in every form a user has them:
// typed objects from Get-ConfluenceAuditRecord, hashtables typed at the prompt, and the strings Import-Csv reads
// back from a file Export-Csv wrote. Anything malformed is refused at binding, before any request.
namespace ConfluenceAudit.Commands
{
    /// <summary>AuditObject, @{ Name = 'ENG'; ObjectType = 'Space' }, an object with those properties, or "ENG (Space)".</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class AuditObjectTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) => RecordValues.ToAuditObject(inputData, "AffectedObject");
    }

    /// <summary>One or more audit objects in any of the forms <see cref="AuditObjectTransformationAttribute"/> takes, or "A (Space); B (Page)".</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class AuditObjectListTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
            RecordValues.ToArray(inputData, text => AuditText.SplitList(text).Select(AuditObject.Parse), item => RecordValues.ToAuditObject(item, "AssociatedObject"));
    }

    /// <summary>AuditChangedValue, @{ Name = 'x'; OldValue = 'a'; NewValue = 'b' }, or "x: a -> b; y: c -> d".</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class ChangedValueTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
            RecordValues.ToArray(inputData, text => AuditText.SplitList(text).Select(RecordValues.ParseChangedValue), RecordValues.ToChangedValue);
    }

    /// <summary>A boolean, or the "True"/"False" that Export-Csv writes.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class BooleanTextTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = RecordValues.Unwrap(inputData);
            if (value is string text)
            {
                text = text.Trim();
                if (text.Length == 0 || text.Equals("False", StringComparison.OrdinalIgnoreCase) || text == "0")
                {
                    return false;
                }

                if (text.Equals("True", StringComparison.OrdinalIgnoreCase) || text == "1")
                {
                    return true;
                }

                throw new ArgumentTransformationMetadataException($"'{text}' is not True or False.");
            }

            return inputData;
        }
    }

    /// <summary>
    /// A display name, or an author object (a record's Author, or one read with Invoke-RestMethod) whose type must be
    /// "user", the only one the API creates.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class AuthorNameTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = RecordValues.Unwrap(inputData);
            string? type;
            string? name;
            switch (value)
            {
                case null:
                case string:
                    return inputData;
                case AuditAuthor author:
                    type = author.Type;
                    name = author.DisplayName;
                    break;
                default:
                    var wrapped = PSObject.AsPSObject(inputData!);
                    if (wrapped.Properties["DisplayName"] is not PSPropertyInfo display)
                    {
                        return inputData; // a scalar: PowerShell converts it to text as usual
                    }

                    name = Convert.ToString(RecordValues.Unwrap(display.Value), CultureInfo.InvariantCulture);
                    type = wrapped.Properties["Type"] is PSPropertyInfo typed ? Convert.ToString(RecordValues.Unwrap(typed.Value), CultureInfo.InvariantCulture) : "user";
                    break;
            }

            if (!string.IsNullOrEmpty(type) && !string.Equals(type, "user", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentTransformationMetadataException(
                    $"The author '{name}' is of type '{type}'; the API only creates records whose author is of type 'user'. Pass -AuthorName with a display name instead.");
            }

            return name;
        }
    }

    /// <summary>
    /// A point in time however a record carries it: DateTimeOffset, DateTime (local unless it says UTC), the text
    /// Export-Csv writes, an ISO 8601 string, epoch milliseconds, or a date that Import-Clixml brought back.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class InstantTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = RecordValues.Unwrap(inputData);
            switch (value)
            {
                case null:
                case DateTimeOffset:
                    return value;
                case DateTime dateTime:
                    return dateTime.Kind == DateTimeKind.Utc ? new DateTimeOffset(dateTime, TimeSpan.Zero) : new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Local));
                case long or int:
                    return DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                case string text when text.Trim().Length == 0:
                    return null;
                case string text when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var epochMs):
                    return DateTimeOffset.FromUnixTimeMilliseconds(epochMs);
                case string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var invariant):
                    return invariant;
                case string text when DateTimeOffset.TryParse(text, CultureInfo.CurrentCulture, DateTimeStyles.AssumeLocal, out var local):
                    return local;
                case string text:
                    throw new ArgumentTransformationMetadataException($"'{text}' is not a date and time. Give a DateTime, a DateTimeOffset or text such as 2026-03-02T10:15:00.125Z.");
            }

            // Import-Clixml brings a DateTimeOffset back as a property bag: its UtcDateTime is the instant.
            var wrapped = PSObject.AsPSObject(inputData!);
            if (wrapped.Properties["UtcDateTime"]?.Value is DateTime utc)
            {
                return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeSpan.Zero);
            }

            throw new ArgumentTransformationMetadataException($"A {value.GetType().Name} is not a date and time. Give a DateTime or a DateTimeOffset.");
        }
    }

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
}
