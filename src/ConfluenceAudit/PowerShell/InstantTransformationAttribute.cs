using System;
using System.Globalization;
using System.Management.Automation;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

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
